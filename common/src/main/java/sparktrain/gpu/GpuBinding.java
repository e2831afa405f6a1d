package sparktrain.gpu;

import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds ND4J to the GPU Spark assigned, and refuses to start the CUDA build where it cannot run.
 *
 * <ul>
 *   <li>{@link #checkBackend()}: on the driver, before anything touches ND4J.
 *   <li>{@link #bindToAssignedGpu()}: in an executor task, before the task touches ND4J; {@link
 *       GpuTaskBindingPlugin} calls it at the start of every task.
 * </ul>
 *
 * <p>ND4J 1.0.0-M2.x keeps the CUDA device per thread: {@code
 * Nd4j.getAffinityManager().unsafeSetDevice(d)} sets it for the calling thread (it is what ND4J's
 * own prefetch threads call; they inherit the device of the thread that creates them).
 * CudaEnvironment's {@code useDevices}/{@code allowMultiGPU} only steer a round-robin that M2.1 no
 * longer uses, and {@code CUDA_VISIBLE_DEVICES} cannot be changed from inside the JVM. In the CPU
 * build the check passes at once and binding does nothing; neither touches ND4J.
 */
public final class GpuBinding {
  private static final Logger LOG = LoggerFactory.getLogger(GpuBinding.class);

  private static final Object LOCK = new Object();
  private static BackendKind checked;
  private static RuntimeException checkFailure;

  /** Devices this JVM has logged as used, so the log says it once per device, not per task. */
  private static final Set<Integer> LOGGED_DEVICES = ConcurrentHashMap.newKeySet();

  private static volatile boolean loggedUnassigned;

  private GpuBinding() {}

  /** The ND4J backend of this build (looks at the classpath only). */
  public static BackendKind backend() {
    return BackendKind.onClasspath();
  }

  /**
   * Checks that this machine can run the build's ND4J backend; call it before anything touches
   * ND4J. The CPU build passes at once. The CUDA build needs an NVIDIA driver and GPU ({@link
   * GpuCheck}) and then ND4J's own check ({@code JCublasBackend.canRun()}: finds a device and loads
   * the CUDA 11.6 runtime). The result is computed once per JVM.
   *
   * @return the backend that will run
   * @throws IllegalStateException if the CUDA build cannot run here; the message says why and how
   *     to use the CPU build
   */
  public static BackendKind checkBackend() {
    synchronized (LOCK) {
      if (checkFailure != null) {
        throw checkFailure;
      }
      if (checked != null) {
        return checked;
      }
      try {
        checked = check(GpuProbe.ofThisMachine());
        return checked;
      } catch (IllegalStateException e) {
        checkFailure = e;
        throw e;
      }
    }
  }

  private static BackendKind check(GpuProbe probe) {
    if (probe.backend() == BackendKind.CPU) {
      return BackendKind.CPU;
    }
    GpuCheck.require(probe);
    cudaBackendCanRun(probe);
    LOG.info("ND4J CUDA backend can run: {}", probe.summary());
    return BackendKind.CUDA;
  }

  /**
   * ND4J's own availability check, called reflectively: the class exists only in the CUDA build.
   */
  private static void cudaBackendCanRun(GpuProbe probe) {
    try {
      Object backend =
          Class.forName(BackendKind.CUDA_BACKEND_CLASS, true, GpuBinding.class.getClassLoader())
              .getConstructor()
              .newInstance();
      backend.getClass().getMethod("canRun").invoke(backend);
    } catch (InvocationTargetException e) {
      throw cudaRuntimeProblem(probe, e.getCause());
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      throw cudaRuntimeProblem(probe, e);
    }
  }

  private static IllegalStateException cudaRuntimeProblem(GpuProbe probe, Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return new IllegalStateException(
        "ND4J's CUDA backend cannot start on host "
            + probe.host()
            + ": "
            + root
            + ". The CUDA build needs an NVIDIA driver for CUDA 11.6 and the CUDA 11.6 runtime"
            + " libraries (libcudart.so.11.0, libcublas.so.11, libcusolver.so.11; e.g. the CUDA"
            + " 11.6 toolkit in /usr/local/cuda, or on LD_LIBRARY_PATH) on every node. Probe: "
            + probe.summary()
            + ". "
            + GpuCheck.USE_CPU_BUILD,
        cause);
  }

  /**
   * In a Spark task: binds the calling thread's ND4J to the GPU Spark assigned to the task. Call it
   * before the task touches ND4J (threads ND4J starts afterwards follow this thread's device).
   *
   * @return the CUDA device the thread now uses; empty in the CPU build, or when Spark assigned no
   *     GPU to the task (then ND4J keeps its default device 0)
   * @throws IllegalStateException outside a Spark task, if the CUDA build cannot run here ({@link
   *     #checkBackend()}), or if the assigned GPU cannot be used (see {@link GpuAssignment#of})
   */
  public static OptionalInt bindToAssignedGpu() {
    TaskContext ctx = TaskContext.get();
    if (ctx == null) {
      throw new IllegalStateException(
          "GpuBinding.bindToAssignedGpu() must run inside a Spark task (no TaskContext on thread "
              + Thread.currentThread().getName()
              + ")");
    }
    if (checkBackend() == BackendKind.CPU) {
      return OptionalInt.empty();
    }
    Optional<GpuAssignment> assignment =
        GpuAssignment.of(ctx.resourcesJMap(), System.getenv("CUDA_VISIBLE_DEVICES"));
    if (assignment.isEmpty()) {
      if (!loggedUnassigned) {
        loggedUnassigned = true;
        LOG.warn(
            "Executor {}: Spark assigned no GPU to task {} (set spark.executor.resource.gpu.amount"
                + " and spark.task.resource.gpu.amount; local mode assigns none): ND4J uses its"
                + " default CUDA device {}",
            executorId(),
            ctx.taskAttemptId(),
            Nd4j.getAffinityManager().getDeviceForCurrentThread());
      }
      return OptionalInt.empty();
    }
    GpuAssignment a = assignment.get();
    bind(a.device(), a.describe());
    if (LOGGED_DEVICES.add(a.device())) {
      LOG.info(
          "Executor {}: task {} (stage {}, partition {}) trains on {}",
          executorId(),
          ctx.taskAttemptId(),
          ctx.stageId(),
          ctx.partitionId(),
          a.describe());
    }
    return OptionalInt.of(a.device());
  }

  /**
   * Binds the calling thread's ND4J to a CUDA device (CUDA backend only).
   *
   * @param what where the device number comes from, for the exception message
   * @throws IllegalStateException if ND4J does not see that many devices
   */
  static void bind(int device, String what) {
    AffinityManager affinity = Nd4j.getAffinityManager();
    int devices = affinity.getNumberOfDevices();
    if (device >= devices) {
      throw new IllegalStateException(
          what
              + ", but ND4J sees only "
              + devices
              + " CUDA device(s) on host "
              + hostName()
              + "; check the discovery script, CUDA_VISIBLE_DEVICES and CUDA_DEVICE_ORDER");
    }
    if (affinity.getDeviceForCurrentThread() != device) {
      affinity.unsafeSetDevice(device);
    }
  }

  /**
   * At executor start (from {@link GpuTaskBindingPlugin}): checks the backend and that every GPU
   * address Spark gave this executor maps to a CUDA device, and logs them. Touches no GPU.
   *
   * @throws IllegalStateException if the CUDA build cannot run here or an address cannot be mapped
   * @throws IllegalArgumentException if an address is not a GPU index
   */
  static void checkExecutor(String executorId, Map<String, ResourceInformation> resources) {
    BackendKind backend = checkBackend();
    if (backend == BackendKind.CPU) {
      return;
    }
    ResourceInformation gpus = resources == null ? null : resources.get(GpuAssignment.GPU);
    if (gpus == null || gpus.addresses().length == 0) {
      LOG.warn(
          "Executor {} on {}: CUDA build, but Spark gave this executor no GPU"
              + " (spark.executor.resource.gpu.amount unset?); its tasks use CUDA device 0",
          executorId,
          hostName());
      return;
    }
    String visible = System.getenv("CUDA_VISIBLE_DEVICES");
    StringBuilder mapping = new StringBuilder();
    for (String address : gpus.addresses()) {
      if (mapping.length() > 0) {
        mapping.append(", ");
      }
      mapping.append(address).append(" -> ").append(GpuAssignment.device(address, visible));
    }
    LOG.info(
        "Executor {} on {}: CUDA build; Spark GPU addresses -> CUDA devices: {}",
        executorId,
        hostName(),
        mapping);
  }

  private static String executorId() {
    SparkEnv env = SparkEnv.get();
    return env == null ? "?" : env.executorId();
  }

  private static String hostName() {
    SparkEnv env = SparkEnv.get();
    if (env != null && env.blockManager() != null) {
      return env.blockManager().blockManagerId().host();
    }
    return GpuProbe.hostName();
  }
}
