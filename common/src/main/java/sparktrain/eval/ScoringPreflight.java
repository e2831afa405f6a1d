package sparktrain.eval;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import sparktrain.config.JobConfig;
import sparktrain.data.InputPreflight;
import sparktrain.errors.JobArgumentException;

/**
 * The checks of {@code evaluate} and {@code predict} on the driver, before the SparkSession starts:
 * {@code --model} names a loadable, verified model whose outputs match its recorded config, and the
 * data of the scored split fits that model's input and classes ({@link InputPreflight}). The jobs
 * repeat the model checks themselves; this only moves the failure before any work.
 */
public final class ScoringPreflight {
  private ScoringPreflight() {}

  /**
   * Checks {@code model} and the data {@code config} names for scoring {@code split}.
   *
   * @throws JobArgumentException if {@code --model} names nothing loadable or does not match its
   *     config
   * @throws sparktrain.data.DataException listing what in the data does not fit the model
   * @throws sparktrain.registry.RegistryException for an unknown registry or version
   * @throws sparktrain.checkpoint.CheckpointCorruptException if a model file fails verification
   */
  public static void check(JobConfig config, String model, Split split, Configuration conf)
      throws IOException {
    ModelLocator.Located located = ModelLocator.locate(model, conf);
    ScoringSetup setup = ScoringSetup.prepare(config, located, false); // the job warns
    EvaluationPlan plan = setup.plan();
    int classes = plan.kind() == EvaluationPlan.Kind.REGRESSION ? 0 : plan.classes();
    InputPreflight.Expectation expected =
        InputPreflight.Expectation.ofModel(setup.modelConfig(), classes, "--model " + model);
    InputPreflight.check(
        config.data(),
        expected,
        split == Split.TRAIN ? InputPreflight.Usage.SCORE_TRAIN : InputPreflight.Usage.SCORE_TEST,
        conf);
  }
}
