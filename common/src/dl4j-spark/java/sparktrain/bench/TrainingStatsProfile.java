package sparktrain.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.stats.EventStats;
import org.deeplearning4j.spark.time.SystemClockTimeSource;
import org.deeplearning4j.spark.time.TimeSourceProvider;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.config.DataConfig;
import sparktrain.config.JobConfig;
import sparktrain.config.TrainingConfig;
import sparktrain.data.TrainingData;
import sparktrain.model.NetworkFactory;
import sparktrain.train.MiniBatches;
import sparktrain.train.TrainingMasters;

/**
 * A separate profiling pass of sparktrain's training: the same data pipeline and the same training
 * master as {@code TrainJob} ({@link TrainingMasters#create}), plus DL4J's {@code
 * collectTrainingStats}, which times every phase of parameter averaging on the driver (export,
 * repartition, broadcast, the mapPartitions fit, aggregation, processing of the averaged
 * parameters) and on the workers (getting the broadcast, initialising the network, each minibatch).
 * No evaluation and no checkpoints; its wall time is not part of the benchmark's figures
 * (collecting the stats costs a little time itself).
 */
public final class TrainingStatsProfile {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingStatsProfile.class);

  private TrainingStatsProfile() {}

  /**
   * Trains {@code epochs} epochs with stats and returns, per epoch, the fit's wall seconds and for
   * every DL4J stats key the number of events and their total, mean and longest milliseconds.
   */
  public static Map<String, Object> run(
      JavaSparkContext sc, JobConfig config, int epochs, String exportDir) {
    TrainingConfig training = config.training();
    DataConfig data = config.data();
    int workers = training.workers() > 0 ? training.workers() : sc.defaultParallelism();
    int partitions = data.partitions() > 0 ? data.partitions() : workers;
    TrainingData in = Workload.examples(sc, config, partitions);
    JavaRDD<DataSet> batches =
        MiniBatches.of(
            in.train(),
            training.batchSizePerWorker(),
            Workload.labelLayout(config),
            data.numClasses(),
            Workload.normalizer(in.train(), config));
    MultiLayerNetwork net = NetworkFactory.create(config.model(), training.seed());
    ParameterAveragingTrainingMaster tm = TrainingMasters.create(training, workers, exportDir);
    SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, net, tm);
    useSystemClock();
    sparkNet.setCollectTrainingStats(true);
    List<Map<String, Object>> perEpoch = new ArrayList<>();
    try {
      for (int epoch = 1; epoch <= epochs; epoch++) {
        long start = System.currentTimeMillis();
        sparkNet.fit(batches);
        long end = System.currentTimeMillis();
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("epoch", epoch);
        e.put("fit_seconds", (end - start) / 1000.0);
        e.put("stats_ms", summarize(sparkNet.getSparkTrainingStats(), start, end));
        perEpoch.add(e);
      }
    } finally {
      delete(sc, exportDir);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(
        "note",
        "separate untimed pass with DL4J collectTrainingStats(true), same data and training master"
            + " as the timed run; per epoch: events, total/mean/max ms per DL4J stats key");
    out.put("epochs", perEpoch);
    return out;
  }

  /**
   * DL4J timestamps its stats with an NTP-corrected clock by default, which queries pool.ntp.org
   * (ten tries, then fails) on the driver and on every executor. Unless the user chose a time
   * source, use the system clock in this JVM (driver and {@code local[N]} executors). A cluster's
   * executors need the system property {@code org.deeplearning4j.spark.time.TimeSource} set to
   * {@code org.deeplearning4j.spark.time.SystemClockTimeSource} in {@code
   * spark.executor.extraJavaOptions}; without it the profile pass fails (and says so in the
   * breakdown) while the timed runs are unaffected.
   */
  private static void useSystemClock() {
    if (System.getProperty(TimeSourceProvider.TIMESOURCE_CLASSNAME_PROPERTY) == null) {
      System.setProperty(
          TimeSourceProvider.TIMESOURCE_CLASSNAME_PROPERTY, SystemClockTimeSource.class.getName());
    }
  }

  /** Every key of the stats and their nested stats, restricted to events in [from, to]. */
  static Map<String, Map<String, Object>> summarize(SparkTrainingStats stats, long from, long to) {
    Map<String, Map<String, Object>> out = new TreeMap<>();
    for (SparkTrainingStats s = stats; s != null; s = s.getNestedTrainingStats()) {
      for (String key : s.getKeySet()) {
        if (out.containsKey(key)) {
          continue;
        }
        List<EventStats> events;
        try {
          events = s.getValue(key);
        } catch (IllegalArgumentException e) {
          continue; // a key listed by a wrapper but held by its nested stats: read it there
        }
        if (events == null) {
          continue;
        }
        long count = 0;
        long total = 0;
        long max = 0;
        for (EventStats ev : events) {
          if (ev.getStartTime() < from || ev.getStartTime() > to) {
            continue;
          }
          count++;
          total += ev.getDurationMs();
          max = Math.max(max, ev.getDurationMs());
        }
        if (count == 0) {
          continue;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", count);
        m.put("total_ms", total);
        m.put("mean_ms", Format.round4(total / (double) count));
        m.put("max_ms", max);
        out.put(key, m);
      }
    }
    return out;
  }

  private static void delete(JavaSparkContext sc, String dir) {
    try {
      Path p = new Path(dir);
      p.getFileSystem(sc.hadoopConfiguration()).delete(p, true);
    } catch (IOException e) {
      LOG.warn("could not delete profiling export directory {}: {}", dir, e.toString());
    }
  }
}
