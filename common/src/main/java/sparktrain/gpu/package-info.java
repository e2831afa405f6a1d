/**
 * Training on GPUs: the CUDA build ({@code -Pcuda}) and Spark's GPU scheduling.
 *
 * <p>{@link sparktrain.gpu.GpuBinding#checkBackend()} runs on the driver before ND4J is touched and
 * fails with a clear {@link java.lang.IllegalStateException} when the CUDA build runs where there
 * is no NVIDIA driver or GPU. {@link sparktrain.gpu.GpuTaskBindingPlugin} (enabled with {@code
 * spark.plugins}) binds every executor task thread to the GPU Spark assigned to the task, through
 * {@link sparktrain.gpu.GpuBinding#bindToAssignedGpu()}. The decisions themselves (which CUDA
 * device a task's GPU address is, whether a machine can run the CUDA build) live in {@link
 * sparktrain.gpu.GpuAssignment} and {@link sparktrain.gpu.GpuCheck}, which need no GPU to test.
 *
 * <p>Nothing here refers to CUDA classes at compile time: the package compiles and runs unchanged
 * in the CPU build, where the checks pass at once and nothing is bound.
 */
package sparktrain.gpu;
