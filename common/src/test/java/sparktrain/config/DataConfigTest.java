package sparktrain.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data section's csv/parquet/libsvm keys: parsing, derived values and validation. */
class DataConfigTest {

  @TempDir Path dir;

  private JobConfig load(String text, String... sets) {
    return ConfigLoader.load(TestConfigs.write(dir, text), List.of(sets));
  }

  private List<String> problems(String text, String... sets) {
    String file = TestConfigs.write(dir, text);
    return assertThrows(ConfigException.class, () -> ConfigLoader.load(file, List.of(sets)))
        .problems();
  }

  private String at(int line) {
    return " (" + dir.resolve("job.conf") + ":" + line + "): ";
  }

  private static final String BINARY =
      "model.layers = [{ type = output, units = 1, activation = sigmoid, loss = xent }]\n";

  @Test
  void shippedTabularConfigsLoad() {
    DataConfig binary = ConfigLoader.load("../conf/binary-mlp.conf", List.of()).data();
    assertThat(binary.format()).isEqualTo(DataFormat.CSV);
    assertThat(binary.path()).isEqualTo("conf/data/breast-cancer.csv");
    assertThat(binary.columns().label()).isEqualTo("benign");
    assertThat(binary.task()).isEqualTo(Task.BINARY);
    assertThat(binary.classCount()).isEqualTo(2);
    assertThat(binary.normalization()).isEqualTo(Normalization.STANDARDIZE);
    assertThat(binary.split()).isEqualTo(new SplitFractions(0, 0.2));
    assertThat(binary.seed()).isEqualTo(12345);

    JobConfig logistic = ConfigLoader.load("../conf/logistic-regression.conf", List.of());
    assertThat(logistic.data().task()).isEqualTo(Task.BINARY);
    assertThat(logistic.model().layers()).hasSize(1);

    JobConfig linear = ConfigLoader.load("../conf/linear-regression.conf", List.of());
    assertThat(linear.data().task()).isEqualTo(Task.REGRESSION);
    assertThat(linear.data().columns().label()).isEqualTo("progression");
    assertThat(linear.data().classCount()).isZero();
    assertThat(linear.model().updater().type()).isEqualTo(UpdaterType.SGD);
  }

  @Test
  void csvKeysAreReadWithTheirDefaultsAndAutoNormalizationIsResolved() {
    JobConfig job =
        load(
            BINARY
                + """
                data {
                  format = csv
                  train.path = "in/train.csv"
                  test.path = "in/test.csv"
                  csv { header = false, delimiter = "\\t" }
                  label = 30
                  features = [0, 1, 2]
                  split.validation = 0.1
                  bad-rows = skip
                  label-encoding = names
                }
                training.seed = 99
                """);

    DataConfig data = job.data();
    assertThat(data.mainPath()).isEqualTo("in/train.csv");
    assertThat(data.test().path()).isEqualTo("in/test.csv");
    assertThat(data.csv()).isEqualTo(new CsvOptions(false, '\t'));
    assertThat(data.columns())
        .isEqualTo(
            new ColumnsConfig(
                "30", List.of(), List.of("0", "1", "2"), List.of(), LabelEncoding.NAMES));
    assertThat(data.badRows()).isEqualTo(BadRowPolicy.SKIP);
    assertThat(data.split()).isEqualTo(new SplitFractions(0.1, 0.2));
    assertThat(data.normalization()).isEqualTo(Normalization.STANDARDIZE);
    assertThat(data.seed()).isEqualTo(99);
    assertThat(ConfigLoader.load(null, TestConfigs.PATHS).data().normalization())
        .isEqualTo(Normalization.IMAGE_SCALE);
  }

  @Test
  void aCsvJobWithoutInputOrLabelReportsBothWithTheirOrigin() {
    List<String> problems = problems("data.format = csv\n" + BINARY);

    assertThat(problems).hasSize(2);
    assertThat(problems.get(0))
        .startsWith("data.path (")
        .contains("reference.conf:")
        .endsWith(
            "expected the input (a file, directory or glob; required when data.format is csv):"
                + " data.path, split by data.split, or data.train.path");
    assertThat(problems.get(1))
        .startsWith("data.label (")
        .contains("reference.conf:")
        .endsWith(
            "expected the label column, by name or 0-based index (required when data.format is"
                + " csv), got \"\"");
  }

  @Test
  void inconsistentDataKeysAreAllReportedAtOnceWithFileAndLine() {
    List<String> problems =
        problems(
            """
            data {
              format = csv
              path = a.csv
              train.path = b.csv
              train.images = x
              split { validation = 0.5, test = 0.5 }
              csv { header = false, delimiter = ";;" }
              label = benign
              one-hot-label = [a, b]
              bad-rows = ignore
            }
            """
                + BINARY);

    assertThat(problems)
        .containsExactly(
            "data.train.images"
                + at(5)
                + "only used when data.format is idx (this job's format is csv; use data.path or"
                + " data.train.path)",
            "data.train.path"
                + at(4)
                + "expected either data.path (split by data.split) or data.train.path, got both"
                + " (data.path = \"a.csv\")",
            "data.split.test"
                + at(6)
                + "expected data.split.validation + data.split.test < 1 (training gets the rest),"
                + " got 0.5 + 0.5",
            "data.csv.delimiter"
                + at(7)
                + "expected one character other than a quote or a line break (\"\\t\" for tab),"
                + " got \";;\"",
            "data.one-hot-label"
                + at(9)
                + "expected either data.label or data.one-hot-label, got both (data.label ="
                + " \"benign\")",
            "data.label"
                + at(8)
                + "'benign' is a column name, but data.csv.header = false: give a"
                + " 0-based column index",
            "data.bad-rows" + at(10) + "expected one of fail, skip, got 'ignore'");
  }

  @Test
  void formatSpecificKeysAreCheckedAgainstTheFormat() {
    List<String> libsvm = problems("data { format = libsvm, path = x.txt, label = y }\n" + BINARY);
    assertThat(libsvm.get(0))
        .startsWith("data.libsvm.num-features (")
        .contains("reference.conf:")
        .endsWith(
            "expected the number of features (>= 1; required when data.format is libsvm), got 0");
    assertThat(libsvm.subList(1, libsvm.size()))
        .containsExactly(
            "data.label"
                + at(1)
                + "not used when data.format is libsvm (the label is the first value of each"
                + " line)");
    assertThat(problems("data.path = x.csv\n", TestConfigs.PATHS.toArray(String[]::new)))
        .containsExactly(
            "data.path"
                + at(1)
                + "not used when data.format is idx (IDX files are data.<split>.images and"
                + " .labels)");
    assertThat(
            problems("data { format = parquet, path = p, label = y, split.test = 0 }\n" + BINARY))
        .containsExactly(
            "data.split.test"
                + at(1)
                + "expected a fraction > 0, or a data.test.path: the job needs a test split to"
                + " evaluate");
  }

  @Test
  void labelKeysMustFitTheOutputLayersLoss() {
    String regression =
        "model.layers = [{ type = output, units = 1, activation = identity, loss = mse }]\n";
    assertThat(
            problems(
                "data { format = csv, path = x, label = y, label-encoding = names }\n"
                    + regression))
        .singleElement()
        .asString()
        .endsWith("names needs a classification loss; the output layer's loss mse takes numbers");
    assertThat(
            problems(
                "data { format = csv, path = x, one-hot-label = [a, b], num-classes = 3 }\n"
                    + "model.layers = [{ type = output, units = 3, activation = softmax,"
                    + " loss = mcxent }]\n"))
        .singleElement()
        .asString()
        .endsWith("expected one column per class (3, data.num-classes), got 2");
    assertThat(
            problems(
                "data { format = csv, path = x, label = y, features = [a, {b = 1}] }\n" + BINARY))
        .singleElement()
        .asString()
        .contains("data.features" + at(1) + "expected a list of strings");
  }
}
