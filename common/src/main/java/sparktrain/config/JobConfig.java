package sparktrain.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A validated job configuration; build it with {@link ConfigLoader}.
 *
 * @param evaluation how models are scored ({@code evaluate}, {@code predict}, the per-epoch
 *     evaluation, the Spark ML model's {@code transform})
 * @param resolved the merged, resolved config it was read from (reference < file < --set)
 */
public record JobConfig(
    String workload,
    DataConfig data,
    ModelConfig model,
    TrainingConfig training,
    CheckpointConfig checkpoint,
    OutputConfig output,
    RetrainConfig retrain,
    EvaluationConfig evaluation,
    Config resolved) {

  /** A config with the default {@code evaluation} section. */
  public JobConfig(
      String workload,
      DataConfig data,
      ModelConfig model,
      TrainingConfig training,
      CheckpointConfig checkpoint,
      OutputConfig output,
      RetrainConfig retrain,
      Config resolved) {
    this(
        workload,
        data,
        model,
        training,
        checkpoint,
        output,
        retrain,
        EvaluationConfig.DEFAULTS,
        resolved);
  }

  private static final ConfigRenderOptions HOCON =
      ConfigRenderOptions.defaults().setOriginComments(false).setComments(false).setJson(false);

  /**
   * The resolved config as HOCON text, every key included; {@link ConfigLoader#load} of a file with
   * this text gives an equal {@code JobConfig}.
   */
  public String render() {
    return resolved.root().render(HOCON);
  }

  /** Where the model was imported from, when {@code model.keras} gave it (else all blank). */
  public KerasOrigin keras() {
    return KerasOverlay.origin(resolved);
  }

  /**
   * SHA-256 (hex) of the typed model and training sections in canonical form: configs that differ
   * only in spelling (0.001 vs 1e-3, a layer value written out that equals the default) agree.
   */
  public String fingerprint() {
    // What shapes the trained parameters; not epochs, workers or progress settings, so a run can be
    // resumed with more epochs or on a different cluster size.
    String canonical =
        "model="
            + model
            + "\nseed="
            + training.seed()
            + "\nbatch-size-per-worker="
            + training.batchSizePerWorker()
            + "\n";
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha256.digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
