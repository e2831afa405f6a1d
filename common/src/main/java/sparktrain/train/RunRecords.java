package sparktrain.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.checkpoint.LoadedCheckpoint;
import sparktrain.config.JobConfig;
import sparktrain.config.KerasOrigin;
import sparktrain.io.Json;
import sparktrain.provenance.RunStatus;
import sparktrain.provenance.Versions;
import sparktrain.report.TrainReport;
import sparktrain.runtime.RunWatch;

/**
 * The records of a {@code train} run in its run directory: {@code metrics.jsonl} (one row per
 * epoch), {@code summary.json} (succeeded or failed) and the HTML report.
 */
final class RunRecords {
  private static final Logger LOG = LoggerFactory.getLogger(RunRecords.class);
  static final String METRICS = "metrics.jsonl";
  static final String SUMMARY = "summary.json";

  private final JobConfig config;
  private final RunDirectory run;
  private final String master;
  private final RunWatch watch;

  RunRecords(JobConfig config, RunDirectory run, String master, RunWatch watch) {
    this.config = config;
    this.run = run;
    this.master = master;
    this.watch = watch;
  }

  /** Appends one epoch's row to {@code metrics.jsonl}. */
  void append(EpochMetrics row) {
    try {
      String existing = run.readText(METRICS);
      run.writeText(METRICS, existing + Json.line(row) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + METRICS + " in " + run.uri(), e);
    }
  }

  /** The metrics.jsonl row of {@code epoch} as a map, or null when there is none. */
  Map<?, ?> row(int epoch) throws IOException {
    for (String line : run.readText(METRICS).split("\n")) {
      if (!line.isBlank()
          && Json.MAPPER.readTree(line).path("epoch").asInt(Integer.MIN_VALUE) == epoch) {
        return new com.fasterxml.jackson.databind.ObjectMapper().readValue(line, Map.class);
      }
    }
    return null;
  }

  /**
   * On resume: keeps the history in metrics.jsonl up to the resumed epoch and drops rows of epochs
   * after it (trained after the checkpoint, before the crash), which are trained again. When the
   * run stopped between publishing checkpoint {@code ck} and appending its epoch's row, the row is
   * restored from the copy in the checkpoint's manifest.
   */
  void keepMetricsUpTo(int epoch, LoadedCheckpoint ck) throws IOException {
    String existing = run.readText(METRICS);
    StringBuilder kept = new StringBuilder();
    int dropped = 0;
    boolean hasEpoch = false;
    for (String line : existing.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      int rowEpoch = Json.MAPPER.readTree(line).path("epoch").asInt(Integer.MAX_VALUE);
      if (rowEpoch <= epoch) {
        kept.append(line).append('\n');
        hasEpoch |= rowEpoch == epoch;
      } else {
        dropped++;
      }
    }
    Object saved =
        ck == null ? null : CheckpointProvenance.metricsRowIn(ck.provenance()).orElse(null);
    boolean restore = !hasEpoch && epoch > 0 && saved != null;
    if (dropped > 0) {
      LOG.warn(
          "{}: dropping {} row(s) of epochs after {}, which are trained again",
          METRICS,
          dropped,
          epoch);
    }
    if (restore) {
      LOG.warn(
          "{}: restoring the row of epoch {} from checkpoint {} (the run stopped before"
              + " appending it)",
          METRICS,
          epoch,
          ck.name());
      kept.append(Json.line(saved)).append('\n');
    }
    if (dropped > 0 || restore) {
      run.writeText(METRICS, kept.toString());
    }
  }

  /** The summary of the run as it stands. */
  TrainSummary summary(
      RunStatus status, String error, RunProgress p, long startNanos, String modelUri) {
    return new TrainSummary(
        status,
        error,
        config.workload(),
        run.uri(),
        config.training().epochs(),
        p.epochsCompleted,
        p.resumedFrom,
        List.copyOf(p.epochSeconds),
        (System.nanoTime() - startNanos) / 1e9,
        p.trainExamples,
        p.testExamples,
        p.testMetrics,
        modelUri,
        p.checkpoint,
        run.child(METRICS).toString(),
        master,
        p.workers,
        Versions.all(),
        p.validationExamples,
        p.skippedRows,
        p.validationMetrics,
        watch.figures(),
        kerasProvenance(),
        p.earlyStopping,
        p.classWeights);
  }

  /** The Keras file the model was imported from, for summary.json; null when none. */
  private Map<String, String> kerasProvenance() {
    KerasOrigin k = config.keras();
    if (!k.imported()) {
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    out.put("source", k.source());
    out.put("sha256", k.sha256());
    out.put("keras_version", k.kerasVersion());
    if (k.hasWeights()) {
      out.put("weights", k.weights());
      out.put("weights_sha256", k.weightsSha256());
    }
    return out;
  }

  void writeSummary(TrainSummary s) {
    try {
      run.writeBytes(SUMMARY, Json.pretty(s));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + SUMMARY + " in " + run.uri(), e);
    }
  }

  /** A "failed" summary and the report; a failure to write them is added to {@code e}. */
  void writeFailed(RunProgress p, Throwable e, long startNanos) {
    try {
      String reason =
          sparktrain.runtime.OutOfMemory.explain(e, master)
              .orElseGet(() -> String.valueOf(e.getMessage()));
      writeSummary(summary(RunStatus.FAILED, reason, p, startNanos, null));
      writeReport();
    } catch (RuntimeException suppressed) {
      e.addSuppressed(suppressed);
    }
  }

  /** The HTML report is a convenience: failing to draw it never fails the run. */
  void writeReport() {
    try {
      String index = TrainReport.write(run.fs(), run.path());
      LOG.info("Report: {}", index);
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not write the report in {}: {}", run.uri(), e.toString());
    }
  }
}
