package sparktrain.train;

import java.util.Optional;
import java.util.ServiceLoader;
import sparktrain.config.ConfigKeys;
import sparktrain.config.TrainingConfig;
import sparktrain.config.TrainingEngineKind;
import sparktrain.errors.UserInputException;

/**
 * Finds the dl4j engine ({@link Dl4jEngineProvider}) of this build: present when sparktrain was
 * built for Spark 3.5 ({@code -Pspark-3.5}), absent on the Spark 4 (Scala 2.13) build, where {@code
 * training.engine = dl4j} is a user error before any work.
 */
public final class Dl4jEngines {
  private static final Optional<Dl4jEngineProvider> PROVIDER =
      ServiceLoader.load(Dl4jEngineProvider.class, Dl4jEngines.class.getClassLoader()).findFirst();

  private Dl4jEngines() {}

  /** Whether this build has the dl4j engine. */
  public static boolean available() {
    return PROVIDER.isPresent();
  }

  /** The dl4j engine; {@link Unavailable} (exit 2) on a build without it. */
  public static Dl4jEngineProvider require() {
    return PROVIDER.orElseThrow(Unavailable::new);
  }

  /**
   * Checks, before any work, that the configured engine exists in this build: {@link Unavailable}
   * for {@code training.engine = dl4j} on the Spark 4 build.
   */
  public static void check(TrainingConfig training) {
    if (training.engine() == TrainingEngineKind.DL4J) {
      require();
    }
  }

  /**
   * The split seed of an epoch: a function of the training seed and the 1-based epoch only (the
   * dl4j engine re-seeds DL4J's averaging-round split generator with it; checkpoints record it).
   */
  public static long splitSeed(long seed, int epoch) {
    return Shuffle.mix(seed ^ 0x5EEDL, epoch);
  }

  /** {@code training.engine = dl4j} on a build without DL4J's Spark module. */
  public static final class Unavailable extends UserInputException {
    private static final long serialVersionUID = 1L;

    Unavailable() {
      super(
          ConfigKeys.TRAINING_ENGINE.path()
              + " = dl4j is not in this build (Scala "
              + scala.util.Properties.versionNumberString()
              + ", Spark "
              + org.apache.spark.package$.MODULE$.SPARK_VERSION()
              + "): DL4J's Spark module (dl4j-spark3) exists for Scala 2.12 only; use"
              + " training.engine = barrier, or build sparktrain for Spark 3.5 (./mvnw -Pspark-3.5"
              + " -DskipTests package) and run it on Spark 3.5");
    }
  }
}
