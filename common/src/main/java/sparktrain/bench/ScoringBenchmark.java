package sparktrain.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.config.DataFormat;
import sparktrain.config.JobConfig;
import sparktrain.data.HadoopPaths;
import sparktrain.data.IdxHeader;
import sparktrain.data.Normalizer;
import sparktrain.eval.EvaluateJob;
import sparktrain.eval.ForwardPass;
import sparktrain.eval.ModelLocator;
import sparktrain.eval.ScoringSetup;
import sparktrain.io.Json;
import sparktrain.predict.PredictJob;

/**
 * {@code benchmark --scoring}: how fast a saved model scores the config's test split, three ways in
 * one JVM one after the other: plain DL4J in this process (the IDX files streamed in blocks, bytes
 * to floats through the model's normalizer, {@code output} and argmax per minibatch of {@code
 * evaluation.batch-size}, one BLAS thread), then the {@code evaluate} and {@code predict} jobs on
 * the Spark session. Prints a table and writes {@value #JSON}: {@code {"machine", "model", "data",
 * "batch_size", "results": [{"name", "examples", "seconds", "examples_per_second",
 * "ratio_to_baseline", "scoring_seconds", "scoring_examples_per_second",
 * "scoring_ratio_to_baseline", "accuracy"}]}}; a ratio is the baseline's seconds over the
 * competitor's (above 1: faster than the baseline); the scoring figures run from the first
 * minibatch to the last, without the jobs' start-up.
 */
public final class ScoringBenchmark {
  /** The results file. */
  public static final String JSON = "scoring.json";

  /** Name of the single-process baseline. */
  public static final String BASELINE = "dl4j-single-process-inference";

  private static final Logger LOG = LoggerFactory.getLogger(ScoringBenchmark.class);

  private ScoringBenchmark() {}

  /**
   * One competitor's figures.
   *
   * @param name the competitor
   * @param examples examples scored
   * @param seconds the jobs' own figure (reading, scoring, merging or writing; Spark's start-up
   *     not), the baseline's loop
   * @param scoringSeconds from the first minibatch read to the last one scored (the jobs: on the
   *     executors, without the job's start-up and wind-down)
   * @param accuracy the accuracy it computed (NaN where it computes none)
   */
  public record Result(
      String name, long examples, double seconds, double scoringSeconds, double accuracy) {
    /** Examples per second. */
    public double examplesPerSecond() {
      return examples / seconds;
    }

    /** Examples per second from the first minibatch to the last. */
    public double scoringExamplesPerSecond() {
      return examples / scoringSeconds;
    }
  }

  /** What a run produced. */
  public record Outcome(List<Result> results, String table, Path json) {}

  /**
   * Runs the three competitors.
   *
   * @param config the job config: its test split is scored ({@code data.format = idx})
   * @param model a model {@code evaluate --model} accepts
   * @param out where {@value #JSON} and the jobs' outputs ({@code evaluate/}, {@code predict/}) go
   */
  public static Outcome run(JobConfig config, String model, SparkSession spark, Path out)
      throws IOException {
    if (config.data().format() != DataFormat.IDX) {
      throw new IllegalArgumentException(
          "benchmark --scoring reads IDX test data (data.format = idx), got data.format = "
              + config.data().format().configName());
    }
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Map<String, Object> machine = MachineInfo.collect(spark);
    Configuration conf = sc.hadoopConfiguration();
    ModelLocator.Located located = ModelLocator.locate(model, conf);
    ScoringSetup setup = ScoringSetup.prepare(config, located);
    List<Result> results = new ArrayList<>();
    results.add(singleProcess(config, setup, conf));
    EvaluateJob.Summary e =
        EvaluateJob.run(
            config, spark, new EvaluateJob.Options(model, out.resolve("evaluate").toString()));
    Double accuracy = e.metrics().summary().get("accuracy");
    results.add(
        new Result(
            "sparktrain-evaluate",
            e.metrics().examples(),
            e.seconds(),
            e.scoringSeconds(),
            accuracy == null ? Double.NaN : accuracy));
    PredictJob.Summary p =
        PredictJob.run(
            config, spark, new PredictJob.Options(model, out.resolve("predict").toString(), true));
    results.add(
        new Result("sparktrain-predict", p.rows(), p.seconds(), p.scoringSeconds(), Double.NaN));

    String table = table(results);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("machine", machine);
    json.put("model", located.provenance());
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("images", config.data().test().images());
    data.put("labels", config.data().test().labels());
    data.put("limit", config.data().testLimit());
    json.put("data", data);
    json.put("batch_size", setup.encoder().batchSize());
    json.put("baseline", BASELINE);
    List<Map<String, Object>> rows = new ArrayList<>();
    double base = results.get(0).seconds();
    for (Result r : results) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("name", r.name());
      row.put("examples", r.examples());
      row.put("seconds", r.seconds());
      row.put("examples_per_second", r.examplesPerSecond());
      row.put("ratio_to_baseline", base / r.seconds());
      row.put("scoring_seconds", r.scoringSeconds());
      row.put("scoring_examples_per_second", r.scoringExamplesPerSecond());
      row.put("scoring_ratio_to_baseline", base / r.scoringSeconds());
      row.put("accuracy", r.accuracy());
      rows.add(row);
    }
    json.put("results", rows);
    Files.createDirectories(out);
    Path file = out.resolve(JSON);
    Files.write(file, Json.pretty(json));
    return new Outcome(results, table, file);
  }

  /** Plain DL4J in this JVM with one BLAS thread: stream, decode, output, argmax. */
  static Result singleProcess(JobConfig config, ScoringSetup setup, Configuration conf)
      throws IOException {
    MultiLayerNetwork net = setup.network();
    Normalizer normalizer = setup.encoder().normalizer();
    int batch = setup.encoder().batchSize();
    var test = config.data().test();
    org.apache.hadoop.fs.Path images = HadoopPaths.qualify(test.images(), conf);
    org.apache.hadoop.fs.Path labels = HadoopPaths.qualify(test.labels(), conf);
    IdxHeader ih = IdxHeader.read(images, conf);
    IdxHeader lh = IdxHeader.read(labels, conf);
    int width = Math.toIntExact(ih.recordSize());
    int count = ih.count();
    if (config.data().testLimit() > 0) {
      count = Math.min(count, config.data().testLimit());
    }
    float[] table = new float[256];
    for (int b = 0; b < 256; b++) {
      table[b] = normalizer.apply(0, (float) b);
    }
    boolean uniform = normalizer.width() == 0;
    FileSystem fs = images.getFileSystem(conf);
    long correct = 0;
    long t0;
    double seconds;
    try (NativeThreads threads = NativeThreads.useBlas(1);
        FSDataInputStream in = fs.open(images, 1 << 20);
        FSDataInputStream lin = labels.getFileSystem(conf).open(labels, 1 << 16)) {
      LOG.info("Single-process scoring of {} examples ({})", count, NativeThreads.describe());
      in.seek(ih.offsetOf(0));
      lin.seek(lh.offsetOf(0));
      byte[] pixels = new byte[batch * width];
      byte[] y = new byte[batch];
      t0 = System.nanoTime();
      for (int start = 0; start < count; start += batch) {
        int n = Math.min(batch, count - start);
        in.readFully(pixels, 0, n * width);
        lin.readFully(y, 0, n);
        float[] x = new float[n * width];
        for (int i = 0; i < x.length; i++) {
          x[i] = uniform ? table[pixels[i] & 0xff] : normalizer.apply(i % width, pixels[i] & 0xff);
        }
        float[] out = net.output(ForwardPass.matrix(x, n, width), false).data().asFloat();
        int classes = out.length / n;
        for (int r = 0; r < n; r++) {
          int best = 0;
          for (int c = 1; c < classes; c++) {
            if (out[r * classes + c] > out[r * classes + best]) {
              best = c;
            }
          }
          if (best == (y[r] & 0xff)) {
            correct++;
          }
        }
      }
      seconds = (System.nanoTime() - t0) / 1e9;
    }
    return new Result(
        BASELINE, count, seconds, seconds, count == 0 ? Double.NaN : (double) correct / count);
  }

  /** The results as a Markdown table with the ratios to the baseline. */
  static String table(List<Result> results) {
    StringBuilder b = new StringBuilder();
    b.append(
        "| competitor | examples | seconds | examples/s | x baseline | first to last minibatch s"
            + " | examples/s | x baseline | accuracy |\n");
    b.append("|---|---|---|---|---|---|---|---|---|\n");
    double base = results.get(0).seconds();
    for (Result r : results) {
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.2f | %,.0f | %.2fx | %.2f | %,.0f | %.2fx | %s |%n",
              r.name(),
              r.examples(),
              r.seconds(),
              r.examplesPerSecond(),
              base / r.seconds(),
              r.scoringSeconds(),
              r.scoringExamplesPerSecond(),
              base / r.scoringSeconds(),
              Double.isNaN(r.accuracy()) ? "-" : String.format(Locale.ROOT, "%.4f", r.accuracy())));
    }
    return b.toString();
  }
}
