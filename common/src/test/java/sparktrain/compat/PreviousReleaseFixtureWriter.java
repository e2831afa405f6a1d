package sparktrain.compat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import sparktrain.config.JobConfig;
import sparktrain.retrain.RetrainJob;
import sparktrain.retrain.TrainRegistration;
import sparktrain.testing.LocalSpark;
import sparktrain.train.TrainJob;
import sparktrain.train.TrainSummary;

/**
 * Writes the artifacts of {@link PreviousRelease} with the code of the checkout it runs in; run
 * only on request, once per release whose artifacts must stay readable:
 *
 * <pre>
 * ./mvnw -B -o -q -pl common test -Dtest=PreviousReleaseFixtureWriter -Dfixture.out=/tmp/fixture
 * </pre>
 *
 * <p>Then copy {@code /tmp/fixture} to {@code src/test/resources/fixtures/checkpoint-VERSION}.
 */
@EnabledIfSystemProperty(named = "fixture.out", matches = ".+")
class PreviousReleaseFixtureWriter {

  @Test
  void writeFixture() throws Exception {
    Path out = Path.of(System.getProperty("fixture.out"));
    Path data = Files.createTempDirectory("fixture-data");
    Path test = PreviousRelease.test(data);
    Configuration conf = new Configuration();
    SparkSession spark = LocalSpark.start(2);
    try {
      JobConfig train =
          PreviousRelease.config(PreviousRelease.first(data), test, out.resolve("run"), 2);
      TrainSummary trained = TrainJob.run(train, spark, TrainJob.Options.fresh());
      String registry = out.resolve("registry/breast-cancer").toString();
      TrainRegistration.register(registry, conf, train, trained);
      RetrainJob.run(
          PreviousRelease.config(PreviousRelease.second(data), test, out.resolve("retrain"), 2),
          spark,
          registry,
          RetrainJob.Options.defaults());
    } finally {
      spark.stop();
    }
    removeChecksumFiles(out);
  }

  /** The local file system's {@code .crc} side files: not part of the artifacts. */
  private static void removeChecksumFiles(Path out) throws IOException {
    try (Stream<Path> files = Files.walk(out)) {
      for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".crc")).toList()) {
        Files.delete(p);
      }
    }
  }
}
