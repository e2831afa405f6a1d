package sparktrain.compat;

import static sparktrain.testing.TestDatasets.breastCancer;
import static sparktrain.testing.TestDatasets.lines;
import static sparktrain.testing.TestDatasets.write;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import sparktrain.config.ConfigLoader;
import sparktrain.config.JobConfig;
import sparktrain.testing.LocalSpark;

/**
 * The previous release's artifacts kept under {@code src/test/resources/fixtures}: a {@code train}
 * run directory (checkpoints and final model), a registry with a trained and a retrained version,
 * and the retrain's summary, all written by sparktrain 0.1.0-SNAPSHOT at commit a104f83 (see the
 * fixture's README.md), and the data and config they were written with.
 */
final class PreviousRelease {
  /** The release that wrote the fixture, as its manifests name it. */
  static final String VERSION = "0.1.0-SNAPSHOT";

  /** The fixture directory. */
  static final Path FIXTURE = LocalSpark.resource("fixtures/checkpoint-" + VERSION);

  private PreviousRelease() {}

  /** The breast-cancer rows {@code [from, to)} (1-based data lines) under the header. */
  static Path rows(Path dir, String name, int from, int to) {
    List<String> all = lines(breastCancer());
    List<String> part = new ArrayList<>();
    part.add(all.get(0));
    part.addAll(all.subList(from, to));
    return write(dir, name, part);
  }

  /** The first 200 rows: the training input of the fixture's run. */
  static Path first(Path dir) {
    return rows(dir, "first.csv", 1, 201);
  }

  /** Rows 201-325: the new data of the fixture's retrain. */
  static Path second(Path dir) {
    return rows(dir, "second.csv", 201, 326);
  }

  /** Rows 451-569: the held-out test file of run and retrain. */
  static Path test(Path dir) {
    return rows(dir, "test.csv", 451, 570);
  }

  /** {@code conf/binary-mlp.conf} on {@code train} and {@code test}, as the fixture was written. */
  static JobConfig config(Path train, Path test, Path out, int epochs, String... extra) {
    List<String> sets =
        new ArrayList<>(
            List.of(
                "data.path=\"\"",
                "data.train.path=\"" + train + "\"",
                "data.test.path=\"" + test + "\"",
                "output.dir=\"" + out + "\"",
                "training.workers=2",
                "training.epochs=" + epochs));
    sets.addAll(List.of(extra));
    return ConfigLoader.load(Path.of("..", "conf", "binary-mlp.conf").toString(), sets);
  }
}
