package sparktrain.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.StageInfo;
import scala.collection.JavaConverters;

/**
 * Times Spark's work per job group (sparktrain puts each phase in one: {@code read-data}, {@code
 * epoch-3-fit}, {@code epoch-3-eval}, ...): jobs, their wall time, and the task metrics of their
 * stages summed (executor run and CPU time, task deserialization, result serialization, GC, result
 * and shuffle bytes).
 */
final class PhaseTimer extends SparkListener {
  private static final String JOB_GROUP = "spark.jobGroup.id";
  private static final String NO_GROUP = "(no group)";

  private final SparkContext sc;
  private final Map<Integer, Long> jobStart = new ConcurrentHashMap<>();
  private final Map<Integer, String> jobGroup = new ConcurrentHashMap<>();
  private final Map<Integer, String> stageGroup = new ConcurrentHashMap<>();
  private final Map<String, Phase> phases = new LinkedHashMap<>();

  private PhaseTimer(SparkContext sc) {
    this.sc = sc;
  }

  /** Starts listening. */
  static PhaseTimer attach(SparkContext sc) {
    PhaseTimer t = new PhaseTimer(sc);
    sc.addSparkListener(t);
    return t;
  }

  /** Waits for the events posted so far to arrive, stops listening, and returns the phases. */
  Map<String, Phase> detach() {
    try {
      sc.listenerBus().waitUntilEmpty(30_000);
    } catch (TimeoutException e) {
      // Keep what arrived; the breakdown says how many jobs it counted.
    }
    sc.removeSparkListener(this);
    synchronized (phases) {
      return new LinkedHashMap<>(phases);
    }
  }

  private Phase phase(String group) {
    synchronized (phases) {
      return phases.computeIfAbsent(group, g -> new Phase());
    }
  }

  @Override
  public void onJobStart(SparkListenerJobStart e) {
    String group = NO_GROUP;
    if (e.properties() != null) {
      group = e.properties().getProperty(JOB_GROUP, NO_GROUP);
    }
    jobStart.put(e.jobId(), e.time());
    jobGroup.put(e.jobId(), group);
    for (StageInfo s : JavaConverters.seqAsJavaList(e.stageInfos())) {
      stageGroup.put(s.stageId(), group);
    }
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd e) {
    Long start = jobStart.remove(e.jobId());
    String group = jobGroup.remove(e.jobId());
    if (start == null || group == null) {
      return;
    }
    Phase p = phase(group);
    synchronized (p) {
      p.jobs++;
      p.jobMillis += e.time() - start;
    }
  }

  @Override
  public void onStageCompleted(SparkListenerStageCompleted e) {
    StageInfo info = e.stageInfo();
    String group = stageGroup.getOrDefault(info.stageId(), NO_GROUP);
    TaskMetrics m = info.taskMetrics();
    Phase p = phase(group);
    synchronized (p) {
      p.stages++;
      p.tasks += info.numTasks();
      if (m == null) {
        return;
      }
      p.executorRunMillis += m.executorRunTime();
      p.executorCpuNanos += m.executorCpuTime();
      p.deserializeMillis += m.executorDeserializeTime();
      p.resultSerializationMillis += m.resultSerializationTime();
      p.gcMillis += m.jvmGCTime();
      p.resultBytes += m.resultSize();
      p.shuffleReadBytes += m.shuffleReadMetrics().totalBytesRead();
      p.shuffleWriteBytes += m.shuffleWriteMetrics().bytesWritten();
    }
  }

  /** What one job group did. */
  static final class Phase {
    int jobs;
    int stages;
    long tasks;
    long jobMillis;
    long executorRunMillis;
    long executorCpuNanos;
    long deserializeMillis;
    long resultSerializationMillis;
    long gcMillis;
    long resultBytes;
    long shuffleReadBytes;
    long shuffleWriteBytes;

    /** Wall seconds of the group's jobs (they run one after another). */
    synchronized double jobSeconds() {
      return jobMillis / 1000.0;
    }

    /** The phase as JSON-ready values. */
    synchronized Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("jobs", jobs);
      m.put("stages", stages);
      m.put("tasks", tasks);
      m.put("job_seconds", jobMillis / 1000.0);
      m.put("task_run_seconds", executorRunMillis / 1000.0);
      m.put("task_cpu_seconds", Format.round4(executorCpuNanos / 1e9));
      m.put("task_deserialize_seconds", deserializeMillis / 1000.0);
      m.put("result_serialize_seconds", resultSerializationMillis / 1000.0);
      m.put("task_gc_seconds", gcMillis / 1000.0);
      m.put("result_bytes", resultBytes);
      m.put("shuffle_read_bytes", shuffleReadBytes);
      m.put("shuffle_write_bytes", shuffleWriteBytes);
      return m;
    }
  }
}
