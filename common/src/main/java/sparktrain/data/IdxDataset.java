package sparktrain.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Reads a pair of IDX files (images and labels, the MNIST format) into an RDD of {@link Example}s,
 * in parallel.
 *
 * <p>The driver reads and checks only the two headers. Each partition is a contiguous range of
 * records; the executors open the files themselves through the Hadoop FileSystem API and read only
 * their own range. Partition {@code i} holds range {@code i}, so the RDD's order is the files'
 * order.
 */
public final class IdxDataset {
  private IdxDataset() {}

  /**
   * Reads images and labels into an RDD of examples: features are the raw pixel values 0..255 as
   * floats (row-major), the label is the label byte (the digit for MNIST).
   *
   * @param imagesPath IDX file of images, 3 dimensions (count x rows x columns); any Hadoop file
   *     system ({@code file:}, {@code hdfs:}, {@code s3a:}) or a local path, relative ones resolved
   *     against the driver's working directory (see {@link HadoopPaths#qualify})
   * @param labelsPath IDX file of labels, 1 dimension (count)
   * @param limit 0 for all records, else only the first {@code limit} records (all if there are
   *     fewer)
   * @param partitions the number of partitions of the result, each a contiguous range of records of
   *     nearly equal size (empty ones if there are more partitions than records)
   * @throws DataException if either file is missing or not a valid IDX file of the expected shape,
   *     or the two counts differ; the message names the file(s) and the problem
   * @throws IllegalArgumentException if {@code limit < 0}, {@code partitions < 1} or a path is
   *     blank
   */
  public static JavaRDD<Example> read(
      JavaSparkContext sc, String imagesPath, String labelsPath, int limit, int partitions) {
    return read(sc, imagesPath, labelsPath, 0, limit, partitions);
  }

  /**
   * Like {@link #read(JavaSparkContext, String, String, int, int)}, but skips the first {@code
   * offset} records: the result holds records {@code [offset, offset + limit)} (to the end of the
   * files if {@code limit} is 0 or there are fewer).
   *
   * @throws DataException if {@code offset} is not below the number of records (the message names
   *     the file), or as the other overload
   * @throws IllegalArgumentException if {@code offset < 0}, or as the other overload
   */
  public static JavaRDD<Example> read(
      JavaSparkContext sc,
      String imagesPath,
      String labelsPath,
      int offset,
      int limit,
      int partitions) {
    Ranges r = ranges(sc, imagesPath, labelsPath, offset, limit, partitions);
    // One range per slice: parallelize puts element i of a list of n elements into slice i of n.
    return sc.parallelize(r.ranges(), partitions)
        .mapPartitions(new IdxRangeReader(r.images(), r.labels(), r.conf()))
        .setName("IDX " + r.images().path() + " + " + r.labels().path());
  }

  /**
   * Records {@code [offset, offset + limit)} (as {@link #read(JavaSparkContext, String, String,
   * int, int, int)}, in the same partitions) as scoring minibatches of at most {@code batchSize}
   * records, each partition's last one smaller: the executors read their range in blocks and decode
   * the pixel bytes straight into each batch's float array, normalized by {@code normalizer}. A
   * batch's {@link FeatureBatch#first()} is its first record's index counted from {@code offset}.
   *
   * @param inputSize features the model takes: images of another size are a {@link DataException}
   *     when a partition is read
   * @throws DataException as {@link #read(JavaSparkContext, String, String, int, int, int)}
   */
  public static JavaRDD<FeatureBatch> readBatches(
      JavaSparkContext sc,
      String imagesPath,
      String labelsPath,
      int offset,
      int limit,
      int partitions,
      int batchSize,
      int inputSize,
      Normalizer normalizer) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }
    Ranges r = ranges(sc, imagesPath, labelsPath, offset, limit, partitions);
    return sc.parallelize(r.ranges(), partitions)
        .mapPartitions(
            new IdxBatchReader(
                r.images(), r.labels(), r.conf(), offset, batchSize, inputSize, normalizer))
        .setName("IDX batches " + r.images().path() + " + " + r.labels().path());
  }

  /** The checked headers, the partitions' record ranges and the shipped Hadoop configuration. */
  private record Ranges(
      IdxHeader images,
      IdxHeader labels,
      List<IdxRange> ranges,
      Broadcast<SerializableConfiguration> conf) {}

  private static Ranges ranges(
      JavaSparkContext sc,
      String imagesPath,
      String labelsPath,
      int offset,
      int limit,
      int partitions) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0, got " + offset);
    }
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0 (0 = all records), got " + limit);
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
    }
    Configuration conf = sc.hadoopConfiguration();
    IdxHeader images = IdxHeader.read(HadoopPaths.qualify(imagesPath, conf), conf);
    IdxHeader labels = IdxHeader.read(HadoopPaths.qualify(labelsPath, conf), conf);
    checkShapes(images, labels);

    if (offset > 0 && offset >= images.count()) {
      throw new DataException(
          String.format(
              "%s has %d records; an offset of %d (data.train-offset) leaves none",
              images.path(), images.count(), offset));
    }
    int available = images.count() - offset;
    int count = limit == 0 ? available : Math.min(limit, available);
    List<IdxRange> ranges = new ArrayList<>(partitions);
    for (int i = 0; i < partitions; i++) {
      ranges.add(
          new IdxRange(
              i,
              offset + (long) count * i / partitions,
              offset + (long) count * (i + 1) / partitions));
    }
    Broadcast<SerializableConfiguration> shippedConf =
        sc.broadcast(new SerializableConfiguration(conf));
    return new Ranges(images, labels, ranges, shippedConf);
  }

  static void checkShapes(IdxHeader images, IdxHeader labels) {
    if (images.numDims() != 3) {
      throw new DataException(
          String.format(
              "%s: expected an IDX images file with 3 dimensions (count x rows x columns), found"
                  + " %d: %s%s",
              images.path(),
              images.numDims(),
              Arrays.toString(images.dims()),
              images.numDims() == 1
                  ? " (is this a labels file? were images and labels swapped?)"
                  : ""));
    }
    if (labels.numDims() != 1) {
      throw new DataException(
          String.format(
              "%s: expected an IDX labels file with 1 dimension (count), found %d: %s%s",
              labels.path(),
              labels.numDims(),
              Arrays.toString(labels.dims()),
              labels.numDims() == 3
                  ? " (is this an images file? were images and labels swapped?)"
                  : ""));
    }
    if (images.count() != labels.count()) {
      throw new DataException(
          String.format(
              "image/label count mismatch: %s has %d images but %s has %d labels; expected equal"
                  + " counts",
              images.path(), images.count(), labels.path(), labels.count()));
    }
  }
}
