package sparktrain.gpu;

/** Which ND4J backend this build carries. */
public enum BackendKind {
  /** {@code nd4j-native}: the default build. */
  CPU,
  /** {@code nd4j-cuda-11.6}: the {@code -Pcuda} build. */
  CUDA;

  /** Class name of ND4J's CUDA backend, present only in the CUDA build. */
  static final String CUDA_BACKEND_CLASS = "org.nd4j.linalg.jcublas.JCublasBackend";

  /**
   * The backend on this JVM's classpath, found by looking for ND4J's CUDA backend class without
   * initializing it (so without loading any native library).
   */
  public static BackendKind onClasspath() {
    try {
      Class.forName(CUDA_BACKEND_CLASS, false, BackendKind.class.getClassLoader());
      return CUDA;
    } catch (ClassNotFoundException | LinkageError e) {
      return CPU;
    }
  }
}
