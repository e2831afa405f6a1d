package sparktrain.predict;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;
import sparktrain.config.JobConfig;
import sparktrain.errors.JobArgumentException;
import sparktrain.eval.ModelLocator;
import sparktrain.eval.ScoringSetup;
import sparktrain.eval.Split;
import sparktrain.io.HadoopFiles;
import sparktrain.io.Json;
import sparktrain.lease.OutputLease;
import sparktrain.provenance.Versions;
import sparktrain.runtime.RunWatch;
import sparktrain.spark.SparkPhase;

/**
 * The {@code predict} job: scores a saved model on a split of the config's data and writes one row
 * per record as Parquet with Spark SQL (see {@link PredictionRows} for the columns). The rows are
 * built on the executors, partition by partition, minibatch by minibatch, and written by them: one
 * file per input partition, then {@code _SUCCESS}; nothing is collected on the driver. The record
 * index ({@code id}) is the record's position in the input ({@code zipWithIndex}, which keeps the
 * readers' file order).
 *
 * <p>Beside the Parquet files, {@code _sparktrain.json} (ignored by Parquet readers, like every
 * name starting with '_') records the model, the input fingerprints, the row counts and the run's
 * figures.
 */
public final class PredictJob {
  /** Name of the provenance file written beside the Parquet files. */
  public static final String PROVENANCE_FILE = "_sparktrain.json";

  private static final Logger LOG = LoggerFactory.getLogger(PredictJob.class);

  /**
   * What to predict.
   *
   * @param model {@code --model PATH} (see {@link ModelLocator})
   * @param output {@code --output DIR}, any Hadoop file system; must not exist unless {@code
   *     overwrite}
   * @param overwrite replace an existing prediction output
   * @param split the data split to score
   * @param keepColumns input columns copied (as text) into every prediction row ({@code
   *     --keep-columns}; csv and parquet inputs), or empty
   */
  public record Options(
      String model, String output, boolean overwrite, Split split, List<String> keepColumns) {
    /** Predicts the test split. */
    public Options(String model, String output, boolean overwrite) {
      this(model, output, overwrite, Split.TEST);
    }

    /** Keeps no input column. */
    public Options(String model, String output, boolean overwrite, Split split) {
      this(model, output, overwrite, split, List.of());
    }

    /** Null {@code keepColumns} means none. */
    public Options {
      keepColumns = keepColumns == null ? List.of() : List.copyOf(keepColumns);
    }
  }

  /**
   * The outcome.
   *
   * @param output URI of the Parquet directory
   * @param rows rows written (counted from the Parquet footers)
   * @param nonFiniteOutputs records whose output held NaN or an infinity (a Spark accumulator:
   *     counted again if a task is retried)
   * @param partitions partitions of the input, and so files of the output
   * @param seconds wall time of reading, scoring and writing
   * @param rowsPerSecond rows written per second
   * @param scoringSeconds from the first minibatch read on an executor to the last row handed to
   *     the Parquet writer (NaN when there was none)
   */
  public record Summary(
      String output,
      long rows,
      long nonFiniteOutputs,
      int partitions,
      double seconds,
      double rowsPerSecond,
      double scoringSeconds) {}

  /** How to take over an output directory whose lease holder died ({@link OutputLease}). */
  public static final String TAKE_OVER =
      "rerun with --overwrite (it may have written part of its output)";

  private PredictJob() {}

  /**
   * Runs the job.
   *
   * @throws JobArgumentException if {@code --model} names nothing loadable, or {@code --output}
   *     exists without {@code overwrite} or is not a prediction output
   */
  public static Summary run(JobConfig config, SparkSession spark, Options options)
      throws IOException {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration conf = sc.hadoopConfiguration();
    Path out = checkOutput(options.output(), options.overwrite(), conf);
    FileSystem fs = out.getFileSystem(conf);
    try (OutputLease lease =
        OutputLease.acquire(fs, out, config.output().leaseTtl(), "predict", TAKE_OVER)) {
      lease.recordApplication(sc.sc().applicationId());
      checkOutput(options.output(), options.overwrite(), conf); // again, now that it is ours
      clearPrevious(fs, out);
      return run(config, spark, sc, options, out, lease);
    }
  }

  /**
   * Deletes a previous prediction output's files (checked by {@link #checkOutput}), all but the
   * lease: Spark then appends into the directory, as its overwrite mode would delete the lease.
   */
  private static void clearPrevious(FileSystem fs, Path out) throws IOException {
    for (FileStatus st : OutputLease.contents(fs, out)) {
      if (!fs.delete(st.getPath(), true) && fs.exists(st.getPath())) {
        throw new IOException("cannot delete " + st.getPath() + " of the previous output");
      }
    }
  }

  private static Summary run(
      JobConfig config,
      SparkSession spark,
      JavaSparkContext sc,
      Options options,
      Path out,
      OutputLease lease)
      throws IOException {
    Configuration conf = sc.hadoopConfiguration();
    ModelLocator.Located model = ModelLocator.locate(options.model(), conf);
    LOG.info(
        "Predicting with {} ({}) on the {} split into {}",
        options.model(),
        model.describe(),
        options.split().configName(),
        out);
    ScoringSetup setup = ScoringSetup.prepare(keeping(config, options.keepColumns()), model);
    PredictionRows rows = new PredictionRows(setup.plan(), options.keepColumns());
    LongAccumulator nonFinite = sc.sc().longAccumulator("non-finite outputs");
    CollectionAccumulator<long[]> spans = sc.sc().collectionAccumulator("scoring spans");

    ScoringSetup.ScoringBatches data;
    double seconds;
    Map<String, Object> figures;
    MultiLayerNetwork net = setup.network();
    Broadcast<Tuple2<String, INDArray>> broadcast = Predictor.broadcast(sc, net);
    try (RunWatch watch = RunWatch.start();
        SparkPhase p = SparkPhase.start(sc, "predict", "Predict with " + options.model())) {
      long t0 = System.nanoTime();
      data = setup.readBatches(sc, options.split(), true);
      JavaRDD<Row> predicted =
          data.batches()
              .mapPartitions(
                  new BatchPredictor(broadcast, setup.encoder(), rows, nonFinite, spans));
      Dataset<Row> frame = spark.createDataFrame(predicted, rows.schema());
      frame
          .write()
          // the directory holds only the lease now (see clearPrevious)
          .mode(SaveMode.Append)
          // probabilities and ids are (nearly) all distinct: a dictionary is built, then dropped
          .option("parquet.enable.dictionary", "false")
          .parquet(out.toString());
      seconds = (System.nanoTime() - t0) / 1e9;
      figures = watch.figures();
    } finally {
      broadcast.destroy();
    }
    long written = spark.read().parquet(out.toString()).count();
    double rowsPerSecond = written / seconds;
    if (nonFinite.value() > 0) {
      LOG.warn(
          "{} of {} records have NaN or infinite outputs (predicted_label is null for them)",
          nonFinite.value(),
          written);
    }

    Map<String, Object> json = new LinkedHashMap<>();
    json.put("workload", config.workload());
    json.put("rows", written);
    json.put("non_finite_outputs", nonFinite.value());
    json.put("kind", setup.plan().kind().name().toLowerCase(Locale.ROOT));
    json.put("columns", List.of(rows.schema().fieldNames()));
    json.put("model", model.provenance());
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("split", data.split().configName());
    d.put("partitions", data.partitions());
    d.put("normalization", setup.normalization());
    d.put("inputs", data.fingerprints(conf));
    json.put("data", d);
    double scoring = BatchPredictor.seconds(spans);
    Map<String, Object> run = ScoringSetup.runInfo(sc.master(), seconds, rowsPerSecond, figures);
    run.put("scoring_seconds", scoring);
    run.put("scoring_rows_per_second", written / scoring);
    json.put("run", run);
    json.put("versions", Versions.all());
    FileSystem fs = out.getFileSystem(conf);
    lease.check();
    HadoopFiles.writeAtomically(fs, new Path(out, PROVENANCE_FILE), Json.pretty(json));
    LOG.info(
        String.format(
            Locale.ROOT,
            "Wrote %d rows in %d partitions to %s in %.1f s (%.0f rows/s; first minibatch to last"
                + " row %.1f s, %.0f rows/s)",
            written,
            data.partitions(),
            out,
            seconds,
            rowsPerSecond,
            scoring,
            written / scoring));
    return new Summary(
        out.toString(),
        written,
        nonFinite.value(),
        data.partitions(),
        seconds,
        rowsPerSecond,
        scoring);
  }

  /**
   * The config with {@code keep} read as text from every input row.
   *
   * @throws JobArgumentException for a format without named columns (idx, libsvm), or a kept column
   *     that is also an output column
   */
  private static JobConfig keeping(JobConfig config, List<String> keep) {
    if (keep.isEmpty()) {
      return config;
    }
    var format = config.data().format();
    if (format != sparktrain.config.DataFormat.CSV
        && format != sparktrain.config.DataFormat.PARQUET) {
      throw new JobArgumentException(
          "--keep-columns: data.format "
              + format.configName()
              + " has no named columns to keep; it works for csv and parquet inputs");
    }
    for (String name : keep) {
      if (List.of(PredictionRows.ID, PredictionRows.LABEL).contains(name)) {
        throw new JobArgumentException(
            "--keep-columns: "
                + name
                + " is a column of every prediction row already; keep other columns");
      }
    }
    return new JobConfig(
        config.workload(),
        config.data().withKeptColumns(keep),
        config.model(),
        config.training(),
        config.checkpoint(),
        config.output(),
        config.retrain(),
        config.evaluation(),
        config.resolved());
  }

  /**
   * The qualified output directory. It must not exist, unless {@code overwrite} and it holds
   * nothing but what a Spark/Parquet write leaves (files named {@code part-*}, {@code _*}, {@code
   * .*}), so that {@code --overwrite} never deletes, say, a run directory.
   *
   * @throws JobArgumentException naming the directory otherwise
   */
  public static Path checkOutput(String output, boolean overwrite, Configuration conf)
      throws IOException {
    if (output == null || output.isBlank()) {
      throw new JobArgumentException("--output is required: the directory for the Parquet files");
    }
    Path raw = new Path(output);
    FileSystem fs = raw.getFileSystem(conf);
    Path out = fs.makeQualified(raw);
    if (!fs.exists(out)
        || (fs.getFileStatus(out).isDirectory() && OutputLease.contents(fs, out).isEmpty())) {
      return out; // new, or holding only a lease (taken by this command, or one that died)
    }
    if (!overwrite) {
      throw new JobArgumentException(
          "--output "
              + output
              + ": "
              + out
              + " already exists; choose a new directory, or pass --overwrite to replace it");
    }
    if (!fs.getFileStatus(out).isDirectory()) {
      throw new JobArgumentException(
          "--output "
              + output
              + ": "
              + out
              + " is a file; --overwrite only replaces a previous"
              + " prediction output");
    }
    for (FileStatus st : fs.listStatus(out)) {
      String name = st.getPath().getName();
      boolean sparkFile =
          name.startsWith("_") || name.startsWith(".") || (st.isFile() && name.startsWith("part-"));
      if (!sparkFile) {
        throw new JobArgumentException(
            "--output "
                + output
                + ": "
                + out
                + " is not a prediction output (it holds "
                + name
                + "); --overwrite only replaces Parquet output directories");
      }
    }
    return out;
  }
}
