package sparktrain.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.config.JobConfig;
import sparktrain.config.TrainingConfig;
import sparktrain.config.TrainingEngineKind;
import sparktrain.io.Json;
import sparktrain.train.Dl4jEngines;
import sparktrain.train.TrainJob;
import sparktrain.train.TrainSummary;

/**
 * sparktrain itself: {@code TrainJob.run} on the benchmark's Spark session with the workload's
 * config plus this variant's overrides (evaluation after every epoch forced on). The figures come
 * from the run's {@code metrics.jsonl}; Spark's share of each phase from a listener on the job
 * groups; the profile pass adds DL4J's training stats.
 *
 * @param name unique name, e.g. {@code sparktrain-avg50}
 * @param description what differs from the shipped config
 * @param sets {@code --set} overrides of this variant
 */
public record SparkTrainVariant(String name, String description, List<String> sets)
    implements Competitor {
  private static final Logger LOG = LoggerFactory.getLogger(SparkTrainVariant.class);

  /** Copies the overrides. */
  public SparkTrainVariant {
    sets = List.copyOf(sets);
  }

  private JobConfig config(BenchmarkContext ctx, Path runDir, List<String> more) {
    List<String> extra = new ArrayList<>(sets);
    extra.add("training.evaluate-every-epoch=true");
    extra.add("output.dir=\"" + runDir.toString().replace("\\", "\\\\") + "\"");
    extra.addAll(more);
    return ctx.plan().config(extra);
  }

  /** Whether this variant trains with {@code training.engine = dl4j}. */
  public boolean usesDl4jEngine() {
    return sets.contains("training.engine=dl4j");
  }

  @Override
  public CompetitorRun run(BenchmarkContext ctx) {
    Path runDir = ctx.workDir().resolve("run");
    JobConfig config = config(ctx, runDir, List.of());
    PhaseTimer timer = PhaseTimer.attach(ctx.spark().sparkContext());
    long t0 = System.nanoTime();
    TrainSummary summary;
    Map<String, PhaseTimer.Phase> phases;
    try {
      summary = TrainJob.run(config, ctx.spark(), TrainJob.Options.fresh());
    } finally {
      phases = timer.detach();
    }
    double total = SingleProcessDl4j.seconds(t0);

    List<CompetitorRun.EpochRecord> epochs = new ArrayList<>();
    List<Double> eval = new ArrayList<>();
    List<Double> checkpoint = new ArrayList<>();
    List<Double> fitJobs = new ArrayList<>();
    List<Double> fitDriver = new ArrayList<>();
    List<Double> averagingMedian = new ArrayList<>();
    List<Double> averagingP95 = new ArrayList<>();
    List<Double> roundFitMedian = new ArrayList<>();
    List<Map<String, Object>> split = new ArrayList<>();
    double inEpochs = 0;
    for (JsonNode row : metricsRows(runDir)) {
      int epoch = row.get("epoch").asInt();
      double seconds = row.get("epoch_seconds").asDouble();
      double fit = row.get("fit_seconds").asDouble();
      double evalSeconds = row.get("eval_seconds").asDouble();
      JsonNode acc = row.path("test").get("accuracy");
      if (acc == null) {
        throw new IllegalStateException(
            runDir.resolve("metrics.jsonl") + ": epoch " + epoch + " has no test accuracy");
      }
      epochs.add(
          new CompetitorRun.EpochRecord(seconds, fit, acc.asDouble(), summary.trainExamples()));
      inEpochs += seconds;
      eval.add(evalSeconds);
      // recorded since the split was added; before, whatever the epoch did besides fit and eval
      double checkpointSeconds =
          row.has("checkpoint_seconds")
              ? row.get("checkpoint_seconds").asDouble()
              : seconds - fit - evalSeconds;
      checkpoint.add(Format.round4(checkpointSeconds));
      split.add(EpochSplit.of(row, seconds, fit, evalSeconds, checkpointSeconds));
      PhaseTimer.Phase p = phases.get("epoch-" + epoch + "-fit");
      double jobs = p == null ? 0 : p.jobSeconds();
      fitJobs.add(jobs);
      fitDriver.add(Format.round4(fit - jobs));
      JsonNode rounds = row.path("rounds");
      if (rounds.isObject()) {
        averagingMedian.add(rounds.path("averaging_ms_median").asDouble());
        averagingP95.add(rounds.path("averaging_ms_p95").asDouble());
        roundFitMedian.add(rounds.path("fit_ms_median").asDouble());
      }
    }

    TrainingConfig t = config.training();
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("overrides", sets);
    settings.put("engine", t.engine().configName());
    settings.put("batch_size_per_worker", t.batchSizePerWorker());
    settings.put("averaging_frequency", t.averagingFrequency());
    settings.put("workers", summary.workers());
    settings.put("prefetch", t.prefetch());
    settings.put("rdd_approach", t.rddApproach().configName());
    settings.put("repartition", t.repartition().configName());
    settings.put("aggregation_depth", t.aggregationDepth());
    settings.put("spark_master", summary.sparkMaster());
    settings.put("native_threads", NativeThreads.describe());

    Map<String, Object> details = new LinkedHashMap<>();
    details.put("run_dir", summary.runDir());
    details.put(
        "setup_note",
        "setup_seconds = the run's wall time outside its epochs: reading the data before, writing"
            + " the final model and summary after");
    details.put(
        "epoch_split_note",
        "per epoch: "
            + EpochSplit.NOTE
            + "; checkpoint_seconds below is the checkpoint's share of the epoch (its copy of the"
            + " network and any wait for the previous epoch's background write)");
    details.put("epoch_split", split);
    details.put("evaluation_seconds", eval);
    details.put("checkpoint_seconds", checkpoint);
    details.put("fit_spark_job_seconds", fitJobs);
    details.put("fit_driver_outside_jobs_seconds", fitDriver);
    if (!averagingMedian.isEmpty()) {
      // barrier engine: per epoch, the median and p95 over its rounds of the averaging time
      details.put("round_averaging_ms_median", averagingMedian);
      details.put("round_averaging_ms_p95", averagingP95);
      details.put("round_fit_ms_median", roundFitMedian);
    }
    Map<String, Object> spark = new LinkedHashMap<>();
    phases.forEach((group, p) -> spark.put(group, p.toMap()));
    details.put("spark_phases", spark);
    return new CompetitorRun(
        epochs, Math.max(0, total - inEpochs), summary.trainExamples(), settings, details);
  }

  @Override
  public Map<String, Object> profile(BenchmarkContext ctx, int epochs) {
    Path dir = ctx.workDir().resolve("profile");
    JobConfig config = config(ctx, dir, List.of("training.epochs=" + epochs));
    if (config.training().engine() != TrainingEngineKind.DL4J) {
      return Map.of(
          "dl4j_training_stats",
          Map.of(
              "note",
              "DL4J's training stats exist for the dl4j engine only; the barrier engine's"
                  + " per-round fit and averaging times are in the run's metrics.jsonl (rounds)"
                  + " and in round_averaging_ms_*"));
    }
    try {
      return Map.of(
          "dl4j_training_stats",
          Dl4jEngines.require()
              .trainingStatsProfile(
                  ctx.sc(), config, epochs, dir.resolve("export").toUri().toString()));
    } catch (RuntimeException e) {
      // The profile only explains the timed run; its failure must not discard the measurements.
      LOG.warn("{}: the DL4J training stats pass failed", name, e);
      return Map.of("dl4j_training_stats", Map.of("error", String.valueOf(e)));
    }
  }

  private static List<JsonNode> metricsRows(Path runDir) {
    Path file = runDir.resolve("metrics.jsonl");
    try {
      List<JsonNode> rows = new ArrayList<>();
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          rows.add(Json.MAPPER.readTree(line));
        }
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
