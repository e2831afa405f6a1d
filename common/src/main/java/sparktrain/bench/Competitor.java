package sparktrain.bench;

import java.util.Map;
import java.util.Optional;
import sparktrain.config.JobConfig;

/**
 * One contestant of the benchmark: trains the plan's workload for the plan's epochs, evaluating on
 * the test split after each, and reports what it measured.
 */
public interface Competitor {
  /** Unique name, used in the table, in {@code benchmark.json} and for {@code --only}. */
  String name();

  /** One line saying what this competitor is. */
  String description();

  /**
   * Why this competitor cannot train the workload of {@code config} (e.g. MLlib's MLPC knows only
   * dense layers), or empty when it can.
   */
  default Optional<String> unsupported(JobConfig config) {
    return Optional.empty();
  }

  /** Trains and evaluates; the memory of the process is watched while this runs. */
  CompetitorRun run(BenchmarkContext ctx);

  /**
   * An optional, separate, untimed pass that explains where the time goes (e.g. DL4J's training
   * stats); runs after {@link #run} and outside its timing and memory watch.
   *
   * @param epochs epochs to profile (&gt; 0)
   * @return breakdown entries to add to the result, empty when there is nothing to profile
   */
  default Map<String, Object> profile(BenchmarkContext ctx, int epochs) {
    return Map.of();
  }
}
