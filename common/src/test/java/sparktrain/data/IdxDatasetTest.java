package sparktrain.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static sparktrain.data.MnistSlices.IMAGE_HEADER;
import static sparktrain.data.MnistSlices.LABEL_HEADER;
import static sparktrain.data.MnistSlices.PIXELS;
import static sparktrain.data.MnistSlices.TEST_COUNT;
import static sparktrain.data.MnistSlices.TEST_IMAGES;
import static sparktrain.data.MnistSlices.TEST_LABELS;
import static sparktrain.data.MnistSlices.TRAIN_COUNT;
import static sparktrain.data.MnistSlices.TRAIN_IMAGES;
import static sparktrain.data.MnistSlices.TRAIN_LABELS;
import static sparktrain.data.MnistSlices.uri;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.apache.spark.util.SerializableConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import sparktrain.testing.LocalSparkTestBase;

class IdxDatasetTest extends LocalSparkTestBase {
  private static final double[] FIRST_TRAIN_LABELS = {5, 0, 4, 1, 9, 2, 1, 3, 1, 4};
  private static final double[] FIRST_TEST_LABELS = {7, 2, 1, 0, 4, 1, 4, 9, 5, 9};

  @TempDir Path dir;

  private static JavaRDD<Example> train(int limit, int partitions) {
    return IdxDataset.read(sc, uri(TRAIN_IMAGES), uri(TRAIN_LABELS), limit, partitions);
  }

  private static double[] labels(List<Example> examples, int n) {
    return examples.stream().limit(n).mapToDouble(Example::label).toArray();
  }

  /** Asserts that {@code examples} are records 0.. of the raw slice files, byte for byte. */
  private static void assertMatchesRawFiles(
      List<Example> examples, String imagesName, String labelsName) {
    byte[] images = MnistSlices.bytes(imagesName);
    byte[] labels = MnistSlices.bytes(labelsName);
    for (int r = 0; r < examples.size(); r++) {
      Example e = examples.get(r);
      assertThat(e.label()).as("label of record %d", r).isEqualTo(labels[LABEL_HEADER + r]);
      float[] expected = new float[PIXELS];
      for (int i = 0; i < PIXELS; i++) {
        expected[i] = images[IMAGE_HEADER + r * PIXELS + i] & 0xff;
      }
      assertThat(e.features()).as("pixels of record %d", r).containsExactly(expected);
    }
  }

  @Test
  void trainSliceReadsBackEveryRecordWithRawPixelValues() {
    List<Example> all = train(0, 3).collect();

    assertThat(all).hasSize(TRAIN_COUNT);
    assertThat(labels(all, 10)).containsExactly(FIRST_TRAIN_LABELS);
    assertThat(all).allSatisfy(e -> assertThat(e.numFeatures()).isEqualTo(PIXELS));
    assertMatchesRawFiles(all, TRAIN_IMAGES, TRAIN_LABELS);
    // unsigned bytes: MNIST strokes reach 255; a signed read would give negative values
    assertThat(all.get(0).features()).contains(255f).doesNotContain(-1f);
    assertThat(all).allSatisfy(e -> assertThat(e.label()).isBetween(0.0, 9.0));
  }

  @Test
  void testSliceReadsBackEveryRecordWithRawPixelValues() {
    List<Example> all = IdxDataset.read(sc, uri(TEST_IMAGES), uri(TEST_LABELS), 0, 2).collect();

    assertThat(all).hasSize(TEST_COUNT);
    assertThat(labels(all, 10)).containsExactly(FIRST_TEST_LABELS);
    assertMatchesRawFiles(all, TEST_IMAGES, TEST_LABELS);
  }

  @Test
  void partitionIHoldsTheIthContiguousRange() {
    JavaRDD<Example> rdd = train(0, 4);
    List<List<Example>> partitions = rdd.glom().collect();

    assertThat(rdd.getNumPartitions()).isEqualTo(4);
    assertThat(partitions).extracting(List::size).containsExactly(625, 625, 625, 625);
    List<Example> concatenated = new ArrayList<>();
    partitions.forEach(concatenated::addAll);
    assertMatchesRawFiles(concatenated, TRAIN_IMAGES, TRAIN_LABELS);
  }

  @Test
  void sevenPartitionsGiveTheSameRecordsInTheSameOrderAsOne() {
    JavaRDD<Example> seven = train(0, 7);
    List<List<Example>> parts = seven.glom().collect();

    assertThat(seven.getNumPartitions()).isEqualTo(7);
    assertThat(parts).allSatisfy(p -> assertThat(p.size()).isBetween(357, 358));
    assertThat(seven.collect()).containsExactlyElementsOf(train(0, 1).collect());
  }

  @Test
  void limitTakesTheFirstRecords() {
    List<Example> first100 = train(100, 3).collect();

    assertThat(first100).hasSize(100);
    assertThat(first100).containsExactlyElementsOf(train(0, 1).collect().subList(0, 100));
  }

  @Test
  void limitAboveTheCountTakesAll() {
    assertThat(train(TRAIN_COUNT + 1, 2).count()).isEqualTo(TRAIN_COUNT);
  }

  @Test
  void offsetSkipsRecordsThenLimitApplies() {
    List<Example> all = train(0, 1).collect();

    List<Example> slice =
        IdxDataset.read(sc, uri(TRAIN_IMAGES), uri(TRAIN_LABELS), 1000, 300, 3).collect();
    List<Example> rest =
        IdxDataset.read(sc, uri(TRAIN_IMAGES), uri(TRAIN_LABELS), 1000, 0, 4).collect();

    assertThat(slice).containsExactlyElementsOf(all.subList(1000, 1300));
    assertThat(rest).containsExactlyElementsOf(all.subList(1000, TRAIN_COUNT));
    assertThatThrownBy(
            () -> IdxDataset.read(sc, uri(TRAIN_IMAGES), uri(TRAIN_LABELS), TRAIN_COUNT, 0, 2))
        .isInstanceOf(DataException.class)
        .hasMessageContaining(TRAIN_IMAGES)
        .hasMessageContaining("offset of " + TRAIN_COUNT);
  }

  @Test
  void morePartitionsThanRecordsKeepsThePartitionCount() {
    JavaRDD<Example> rdd = train(3, 5);

    assertThat(rdd.getNumPartitions()).isEqualTo(5);
    assertThat(labels(rdd.collect(), 3)).containsExactly(5, 0, 4);
  }

  @Test
  void relativePathsResolveAgainstTheWorkingDirectory() throws IOException {
    // surefire runs in the module directory; the slices sit under src/test/resources
    List<Example> first =
        IdxDataset.read(
                sc,
                "src/test/resources/mnist/" + TEST_IMAGES,
                "src/test/resources/mnist/" + TEST_LABELS,
                10,
                2)
            .collect();

    assertThat(labels(first, 10)).containsExactly(FIRST_TEST_LABELS);
  }

  @Test
  void executorsReadOnlyTheirOwnRange() throws IOException {
    Path images = Files.copy(MnistSlices.path(TRAIN_IMAGES), dir.resolve("images"));
    Path labels = Files.copy(MnistSlices.path(TRAIN_LABELS), dir.resolve("labels"));
    JavaRDD<Example> rdd = IdxDataset.read(sc, images.toUri().toString(), labels.toString(), 20, 2);
    // Headers were checked by the driver; the executors read later and only records 0..19.
    truncate(images, IMAGE_HEADER + 20 * PIXELS);
    truncate(labels, LABEL_HEADER + 20);

    assertThat(labels(rdd.collect(), 10)).containsExactly(FIRST_TRAIN_LABELS);
  }

  @Test
  void fileShrunkAfterTheHeaderWasReadFailsTheTaskNamingFileAndRecord() throws IOException {
    Path images = Files.copy(MnistSlices.path(TRAIN_IMAGES), dir.resolve("images"));
    JavaRDD<Example> rdd =
        IdxDataset.read(sc, images.toString(), MnistSlices.path(TRAIN_LABELS).toString(), 0, 1);
    // one partition: a single task reads, so the failure is always the one at record 100
    truncate(images, IMAGE_HEADER + 100 * PIXELS + 5);

    assertThatThrownBy(rdd::count)
        .isInstanceOf(SparkException.class)
        .hasMessageContaining(DataException.class.getName())
        .hasMessageContaining(images.toString())
        .hasMessageContaining("unexpected end of file in record 100")
        .hasMessageContaining("expected 1960016 bytes")
        .hasMessageContaining("found " + (IMAGE_HEADER + 100 * PIXELS + 5) + " bytes")
        .hasRootCauseInstanceOf(EOFException.class)
        .cause()
        .isInstanceOf(DataException.class);
  }

  @Test
  void hadoopConfigurationSurvivesTheKryoSerializerUsedForBroadcasts() {
    // local mode hands the broadcast object over without serializing it; a cluster does not
    Configuration conf = new Configuration(false);
    conf.set("fs.s3a.endpoint", "http://minio.example:9000");
    SerializerInstance kryo = new KryoSerializer(sc.getConf()).newInstance();
    ClassTag<SerializableConfiguration> tag =
        ClassTag$.MODULE$.apply(SerializableConfiguration.class);

    SerializableConfiguration back =
        kryo.deserialize(kryo.serialize(new SerializableConfiguration(conf), tag), tag);

    assertThat(back.value().get("fs.s3a.endpoint")).isEqualTo("http://minio.example:9000");
  }

  private static void truncate(Path file, long length) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(length);
    }
  }

  @Test
  void countMismatchNamesBothFilesAndCounts() {
    assertThatThrownBy(() -> IdxDataset.read(sc, uri(TRAIN_IMAGES), uri(TEST_LABELS), 0, 2))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("count mismatch")
        .hasMessageContaining(uri(TRAIN_IMAGES).replace("file:///", "file:/"))
        .hasMessageContaining(uri(TEST_LABELS).replace("file:///", "file:/"))
        .hasMessageContaining("2500 images")
        .hasMessageContaining("1000 labels");
  }

  @Test
  void swappedImagesAndLabelsAreReported() {
    assertThatThrownBy(() -> IdxDataset.read(sc, uri(TRAIN_LABELS), uri(TRAIN_IMAGES), 0, 2))
        .isInstanceOf(DataException.class)
        .hasMessageContaining(TRAIN_LABELS)
        .hasMessageContaining("expected an IDX images file with 3 dimensions")
        .hasMessageContaining("found 1: [2500]")
        .hasMessageContaining("swapped");
  }

  @Test
  void truncatedImagesFile() throws IOException {
    Path images = MnistSlices.truncated(dir, TRAIN_IMAGES, IMAGE_HEADER + 2499 * PIXELS);

    assertThatThrownBy(() -> IdxDataset.read(sc, images.toString(), uri(TRAIN_LABELS), 0, 2))
        .isInstanceOf(DataException.class)
        .hasMessageContaining(images.toString())
        .hasMessageContaining("truncated")
        .hasMessageContaining("should be 1960016 bytes")
        .hasMessageContaining("found " + (IMAGE_HEADER + 2499 * PIXELS) + " bytes");
  }

  @Test
  void wrongMagicNumber() throws IOException {
    byte[] content = MnistSlices.bytes(TRAIN_LABELS);
    content[0] = 'P';
    Path labels = MnistSlices.write(dir, "labels-bad-magic", content);

    assertThatThrownBy(() -> IdxDataset.read(sc, uri(TRAIN_IMAGES), labels.toString(), 0, 2))
        .isInstanceOf(DataException.class)
        .hasMessageContaining(labels.toString())
        .hasMessageContaining("wrong magic number")
        .hasMessageContaining("found 0x50 0x00 0x08 0x01");
  }

  @Test
  void gzipCompressedImagesFile() throws IOException {
    Path images = MnistSlices.gzipped(dir, TRAIN_IMAGES);

    assertThatThrownBy(() -> IdxDataset.read(sc, images.toString(), uri(TRAIN_LABELS), 0, 2))
        .isInstanceOf(DataException.class)
        .hasMessageContaining(images.toString())
        .hasMessageContaining("gzip")
        .hasMessageContaining("gunzip");
  }

  @Test
  void emptyLabelsFile() throws IOException {
    Path labels = MnistSlices.write(dir, "empty-labels", new byte[0]);

    assertThatThrownBy(() -> IdxDataset.read(sc, uri(TRAIN_IMAGES), labels.toString(), 0, 2))
        .isInstanceOf(DataException.class)
        .hasMessageContaining(labels.toString())
        .hasMessageContaining("empty file");
  }

  @Test
  void nonExistentPathIsNamed() {
    String missing = dir.resolve("nowhere/train-images-idx3-ubyte").toString();

    assertThatThrownBy(() -> IdxDataset.read(sc, missing, uri(TRAIN_LABELS), 0, 2))
        .isInstanceOf(DataException.class)
        .hasMessageContaining(missing)
        .hasMessageContaining("file not found");
  }

  @Test
  void badArguments() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> train(-1, 2))
        .withMessageContaining("limit must be >= 0")
        .withMessageContaining("-1");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> train(0, 0))
        .withMessageContaining("partitions must be >= 1");
  }
}
