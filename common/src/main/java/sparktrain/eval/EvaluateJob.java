package sparktrain.eval;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.config.JobConfig;
import sparktrain.errors.JobArgumentException;
import sparktrain.io.HadoopFiles;
import sparktrain.io.Json;
import sparktrain.lease.OutputLease;
import sparktrain.provenance.Versions;
import sparktrain.registry.ModelRegistry;
import sparktrain.report.EvaluationReport;
import sparktrain.runtime.RunWatch;
import sparktrain.spark.SparkPhase;

/**
 * The {@code evaluate} job: scores a saved model on a split of the config's data with the metrics
 * of its kind, computed on the executors and merged on the driver (no prediction reaches the
 * driver), and writes {@code <output>/metrics.json} and {@code <output>/report/index.html}.
 *
 * <p>{@code metrics.json} holds the metrics' {@link EvaluationResult#detail()} (for regression also
 * a bounded residual sample) plus {@code model} (path, resolved directory, epoch, run id), {@code
 * data} (split, partitions, normalization, input fingerprints), {@code run} (seconds, examples per
 * second, the driver's heap) and {@code versions}.
 */
public final class EvaluateJob {
  private static final Logger LOG = LoggerFactory.getLogger(EvaluateJob.class);

  /**
   * What to evaluate.
   *
   * @param model {@code --model PATH} (see {@link ModelLocator})
   * @param output {@code --output DIR}, any Hadoop file system
   * @param split the data split to score
   */
  public record Options(String model, String output, Split split) {
    /** Evaluates on the test split. */
    public Options(String model, String output) {
      this(model, output, Split.TEST);
    }
  }

  /**
   * The outcome.
   *
   * @param metrics the merged metrics
   * @param metricsFile URI of {@code metrics.json}
   * @param report URI of {@code report/index.html}
   * @param seconds wall time of reading and scoring the data
   * @param rowsPerSecond examples scored per second
   * @param scoringSeconds from the first minibatch read on an executor to the last one scored (the
   *     job's start-up and the driver's merge left out; NaN when nothing was scored)
   */
  public record Summary(
      EvaluationResult metrics,
      String metricsFile,
      String report,
      double seconds,
      double rowsPerSecond,
      double scoringSeconds) {}

  /** How to take over an output directory whose lease holder died ({@link OutputLease}). */
  public static final String TAKE_OVER = "rerun";

  private EvaluateJob() {}

  /**
   * Runs the job.
   *
   * @throws JobArgumentException if {@code --model} names nothing loadable or {@code --output} is a
   *     directory that is not an evaluation's output
   */
  public static Summary run(JobConfig config, SparkSession spark, Options options)
      throws IOException {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration conf = sc.hadoopConfiguration();
    Path out = checkOutput(options.output(), conf);
    FileSystem fs = out.getFileSystem(conf);
    try (OutputLease lease =
        OutputLease.acquire(fs, out, config.output().leaseTtl(), "evaluate", TAKE_OVER)) {
      lease.recordApplication(sc.sc().applicationId());
      return run(config, sc, options, out, fs, lease);
    }
  }

  private static Summary run(
      JobConfig config,
      JavaSparkContext sc,
      Options options,
      Path out,
      FileSystem fs,
      OutputLease lease)
      throws IOException {
    Configuration conf = sc.hadoopConfiguration();
    ModelLocator.Located model = ModelLocator.locate(options.model(), conf);
    LOG.info(
        "Evaluating {} ({}) on the {} split",
        options.model(),
        model.describe(),
        options.split().configName());
    ScoringSetup setup = ScoringSetup.prepare(config, model);

    EvaluationPass.Result result;
    ScoringSetup.ScoringBatches data;
    double seconds;
    Map<String, Object> figures;
    try (RunWatch watch = RunWatch.start();
        SparkPhase p = SparkPhase.start(sc, "evaluate", "Evaluate " + options.model())) {
      long t0 = System.nanoTime();
      data = setup.readBatches(sc, options.split(), false);
      result =
          EvaluationPass.run(
              sc,
              setup.network(),
              data.batches(),
              setup.encoder(),
              setup.plan(),
              EvaluationPass.DEFAULT_SAMPLE_ROWS);
      seconds = (System.nanoTime() - t0) / 1e9;
      figures = watch.figures();
    }
    EvaluationResult metrics = result.metrics();
    double rowsPerSecond = metrics.examples() / seconds;
    if (metrics.nonFiniteOutputs() > 0) {
      LOG.warn(
          "{} of {} examples have NaN or infinite outputs; they are counted in"
              + " non_finite_outputs and not scored",
          metrics.nonFiniteOutputs(),
          metrics.examples());
    }

    Map<String, Object> json = new LinkedHashMap<>();
    json.put("workload", config.workload());
    json.putAll(metrics.detail());
    if (setup.plan().kind() == EvaluationPlan.Kind.REGRESSION) {
      json.put("residual_sample", result.residuals().toMap());
    }
    json.put("model", modelInfo(model));
    json.put("data", dataInfo(config, setup, data, conf));
    double scoring = result.span().seconds();
    Map<String, Object> run = ScoringSetup.runInfo(sc.master(), seconds, rowsPerSecond, figures);
    run.put("scoring_seconds", scoring);
    run.put("scoring_rows_per_second", metrics.examples() / scoring);
    json.put("run", run);
    json.put("versions", Versions.all());

    lease.check();
    fs.mkdirs(out);
    Path metricsFile = new Path(out, EvaluationReport.METRICS_FILE);
    HadoopFiles.writeAtomically(fs, metricsFile, Json.pretty(json));
    String report = EvaluationReport.write(fs, out);
    LOG.info(
        String.format(
            Locale.ROOT,
            "Evaluated %d examples in %.1f s (%.0f examples/s; first minibatch to last %.1f s, %.0f"
                + " examples/s): %s; report %s",
            metrics.examples(),
            seconds,
            rowsPerSecond,
            scoring,
            metrics.examples() / scoring,
            headline(metrics.summary()),
            report));
    return new Summary(metrics, metricsFile.toString(), report, seconds, rowsPerSecond, scoring);
  }

  /**
   * The qualified output directory; it may exist only as a previous evaluation's output (with
   * {@code metrics.json}), whose files are then replaced.
   *
   * @throws JobArgumentException naming the directory otherwise
   */
  public static Path checkOutput(String output, Configuration conf) throws IOException {
    if (output == null || output.isBlank()) {
      throw new JobArgumentException(
          "--output is required: the directory for metrics.json and" + " report/");
    }
    Path raw = new Path(output);
    FileSystem fs = raw.getFileSystem(conf);
    Path out = fs.makeQualified(raw);
    if (fs.exists(out)) {
      if (!fs.getFileStatus(out).isDirectory()) {
        throw new JobArgumentException("--output " + output + ": " + out + " is a file");
      }
      if (!OutputLease.contents(fs, out).isEmpty()
          && !fs.exists(new Path(out, EvaluationReport.METRICS_FILE))) {
        throw new JobArgumentException(
            "--output "
                + output
                + ": "
                + out
                + " exists and is not the output of an evaluation (no "
                + EvaluationReport.METRICS_FILE
                + "); give a new directory");
      }
    }
    return out;
  }

  private static Map<String, Object> modelInfo(ModelLocator.Located model) {
    Map<String, Object> m = model.provenance();
    m.put(
        ModelRegistry.VERSION_KEY,
        ModelRegistry.versionIn(model.checkpoint().provenance()).orElse(null));
    m.put("metrics_recorded", model.checkpoint().metrics());
    return m;
  }

  private static Map<String, Object> dataInfo(
      JobConfig config, ScoringSetup setup, ScoringSetup.ScoringBatches data, Configuration conf) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("split", data.split().configName());
    m.put("format", config.data().format().name().toLowerCase(Locale.ROOT));
    m.put(
        "limit",
        data.split() == Split.TEST ? config.data().testLimit() : config.data().trainLimit());
    m.put("partitions", data.partitions());
    m.put("batch_size", setup.encoder().batchSize());
    m.put("normalization", setup.normalization());
    m.put("inputs", data.fingerprints(conf));
    return m;
  }

  /** e.g. "accuracy 0.9764 loss 0.0771". */
  static String headline(Map<String, Double> summary) {
    StringBuilder b = new StringBuilder();
    for (String k : List.of("accuracy", "auc", "r2", "rmse", "loss", "non_finite_outputs")) {
      Double v = summary.get(k);
      if (v != null) {
        b.append(b.length() == 0 ? "" : "  ").append(k).append(' ');
        b.append(
            k.equals("non_finite_outputs")
                ? String.format(Locale.ROOT, "%.0f", v)
                : String.format(Locale.ROOT, "%.4f", v));
      }
    }
    return b.toString();
  }
}
