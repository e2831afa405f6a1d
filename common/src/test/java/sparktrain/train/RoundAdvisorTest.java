package sparktrain.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static sparktrain.testing.TestJobs.mnistSlice;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.config.ConfigLoader;
import sparktrain.testing.LocalSparkTestBase;
import sparktrain.testing.LogCapture;
import sparktrain.testing.RequiresDl4jEngine;

/** The advisor's arithmetic, and its warning in a real run whose rounds are all overhead. */
class RoundAdvisorTest extends LocalSparkTestBase {

  @Test
  void overheadShareAndSuggestedFrequencyFollowTheRoundModel() {
    // 100 ms rounds of 20 minibatches of 1 ms: 20 ms fitting, 80 ms overhead
    RoundAdvisor.Advice a = RoundAdvisor.advise(100, 1, 20, 16, 2);
    assertThat(a.overheadShare()).isCloseTo(0.8, within(1e-12));
    assertThat(a.millisPerIteration()).isCloseTo(1.0, within(1e-12));
    assertThat(a.computeMillis()).isCloseTo(20.0, within(1e-12));
    assertThat(a.warns()).isTrue();
    // 80 ms overhead is 20% of a round with 320 ms of fitting
    assertThat(a.suggestedAveragingFrequency()).isEqualTo(320);
    assertThat(a.message()).contains("training.averaging-frequency = 320").contains("80%");

    RoundAdvisor.Advice fine = RoundAdvisor.advise(100, 4.5, 20, 16, 2);
    assertThat(fine.warns()).isFalse();
    assertThat(fine.suggestedAveragingFrequency()).isEqualTo(20);
    assertThat(fine.message()).startsWith("Round timing").doesNotContain("Suggestion");
  }

  @Test
  @RequiresDl4jEngine
  void aRunOfTinyRoundsIsToldToAverageLessOften(@TempDir Path out) {
    List<String> warnings;
    try (LogCapture log = LogCapture.open()) {
      TrainJob.run(
          ConfigLoader.load(
              null,
              mnistSlice(
                  out,
                  "training.epochs=1",
                  // the dl4j engine's advisor: its rounds are Spark jobs
                  "training.engine=dl4j",
                  "training.averaging-frequency=1",
                  "training.batch-size-per-worker=8",
                  "data.train-limit=400")),
          spark,
          TrainJob.Options.fresh());
      warnings = log.warnings();
    }
    assertThat(warnings)
        .anySatisfy(
            w ->
                assertThat(w)
                    .contains("Spark's overhead dominates training")
                    .contains("an averaging round of 1 minibatches x 8 examples on 2 workers")
                    .containsPattern("training.averaging-frequency = \\d+"));
  }
}
