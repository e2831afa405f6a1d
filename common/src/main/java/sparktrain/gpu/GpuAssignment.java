package sparktrain.gpu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.resource.ResourceInformation;

/**
 * Which CUDA device a Spark task trains on: the GPU address Spark assigned to the task (from the
 * discovery script: an nvidia-smi index), turned into the CUDA device number ND4J uses.
 *
 * <p>The two agree unless {@code CUDA_VISIBLE_DEVICES} renumbers the devices: with {@code
 * CUDA_VISIBLE_DEVICES=2,3}, nvidia-smi's GPU 3 is CUDA device 1. CUDA also numbers devices fastest
 * first unless {@code CUDA_DEVICE_ORDER=PCI_BUS_ID}, nvidia-smi's order; the GPU Spark config sets
 * it for executors.
 *
 * @param address the Spark GPU address used (the task's first, in Spark's order)
 * @param addresses every GPU address Spark assigned to the task
 * @param device the CUDA device number for ND4J
 */
public record GpuAssignment(String address, List<String> addresses, int device) {
  /** Spark's resource name for GPUs. */
  public static final String GPU = "gpu";

  public GpuAssignment {
    addresses = List.copyOf(addresses);
  }

  /**
   * The CUDA device for a task's resources.
   *
   * @param resources the task's resources ({@code TaskContext.resourcesJMap()}); may be null
   * @param cudaVisibleDevices the executor's {@code CUDA_VISIBLE_DEVICES}, or null if unset
   * @return empty when Spark assigned no GPU to the task (no {@code
   *     spark.task.resource.gpu.amount}, or local mode, which ignores resources)
   * @throws IllegalArgumentException if an address is not a GPU index
   * @throws IllegalStateException if {@code CUDA_VISIBLE_DEVICES} hides the assigned GPU or names
   *     GPUs in a way that cannot be matched with Spark's addresses
   */
  public static Optional<GpuAssignment> of(
      Map<String, ResourceInformation> resources, String cudaVisibleDevices) {
    ResourceInformation gpu = resources == null ? null : resources.get(GPU);
    if (gpu == null || gpu.addresses().length == 0) {
      return Optional.empty();
    }
    List<String> addresses = Arrays.asList(gpu.addresses());
    String address = addresses.get(0);
    return Optional.of(new GpuAssignment(address, addresses, device(address, cudaVisibleDevices)));
  }

  /**
   * The CUDA device number of one Spark GPU address.
   *
   * @throws IllegalArgumentException if the address is not a GPU index
   * @throws IllegalStateException see {@link #of}
   */
  public static int device(String address, String cudaVisibleDevices) {
    int index = index(address);
    if (cudaVisibleDevices == null || cudaVisibleDevices.isBlank()) {
      return index;
    }
    List<Integer> visible = new ArrayList<>();
    for (String entry : cudaVisibleDevices.split(",")) {
      String e = entry.strip();
      if (!e.matches("[0-9]+")) {
        throw new IllegalStateException(
            "cannot map Spark GPU address "
                + address
                + " to a CUDA device: CUDA_VISIBLE_DEVICES="
                + cudaVisibleDevices
                + " names GPU '"
                + e
                + "', not a GPU index; unset CUDA_VISIBLE_DEVICES on executors or list indexes");
      }
      visible.add(Integer.parseInt(e));
    }
    int device = visible.indexOf(index);
    if (device < 0) {
      throw new IllegalStateException(
          "Spark assigned GPU "
              + address
              + " to this task, but CUDA_VISIBLE_DEVICES="
              + cudaVisibleDevices
              + " hides it from CUDA; unset CUDA_VISIBLE_DEVICES on executors or make it list"
              + " the GPUs of the discovery script");
    }
    return device;
  }

  private static int index(String address) {
    String a = address == null ? "" : address.strip();
    if (!a.matches("[0-9]{1,9}")) {
      throw new IllegalArgumentException(
          "Spark GPU address '"
              + address
              + "' is not a GPU index; the discovery script must print nvidia-smi indexes, e.g."
              + " {\"name\":\"gpu\",\"addresses\":[\"0\",\"1\"]} (see submit-scripts/gpu-discovery.sh)");
    }
    return Integer.parseInt(a);
  }

  /** For the log: {@code "Spark GPU address 1 -> CUDA device 1"}. */
  public String describe() {
    String extra =
        addresses.size() > 1 ? " (task holds GPUs " + addresses + "; DL4J uses one)" : "";
    return "Spark GPU address " + address + " -> CUDA device " + device + extra;
  }
}
