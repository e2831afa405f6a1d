package sparktrain.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Config overrides for jobs on the real MNIST slices in {@code src/test/resources/mnist}. */
public final class TestJobs {
  private TestJobs() {}

  /**
   * {@code --set} values that point a job at the MNIST slices (2,500 train, 1,000 test images),
   * with two workers, followed by {@code extra}.
   *
   * @param out run directory, or null to leave {@code output.dir} unset
   */
  public static List<String> mnistSlice(Path out, String... extra) {
    Path m = LocalSpark.resource("mnist");
    List<String> sets = new ArrayList<>();
    sets.add("workload=mnist-test");
    sets.add("data.train.images=\"" + m.resolve("train-images-idx3-ubyte") + "\"");
    sets.add("data.train.labels=\"" + m.resolve("train-labels-idx1-ubyte") + "\"");
    sets.add("data.test.images=\"" + m.resolve("t10k-images-idx3-ubyte") + "\"");
    sets.add("data.test.labels=\"" + m.resolve("t10k-labels-idx1-ubyte") + "\"");
    if (out != null) {
      sets.add("output.dir=\"" + out + "\"");
    }
    sets.add("training.workers=2");
    sets.addAll(List.of(extra));
    return sets;
  }
}
