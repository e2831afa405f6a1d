package sparktrain.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import sparktrain.testing.LocalSpark;

/** The plugin in a real local Spark session (which assigns no GPUs: local mode ignores them). */
class GpuTaskBindingPluginTest {
  private static SparkConf conf() {
    return LocalSpark.conf(2).set("spark.plugins", GpuTaskBindingPlugin.class.getName());
  }

  @Test
  void inTheCpuBuildTasksRunWithThePluginAndBindToNothing() {
    assumeTrue(
        BackendKind.onClasspath() == BackendKind.CPU, "CUDA build (-Pcuda) on the classpath");
    SparkSession spark = LocalSpark.start(conf());
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      assertThat(jsc.getConf().get("spark.plugins"))
          .isEqualTo(GpuTaskBindingPlugin.class.getName());

      List<String> bound =
          jsc.parallelize(Arrays.asList(1, 2, 3, 4), 4)
              .map(i -> String.valueOf(GpuBinding.bindToAssignedGpu()))
              .collect();

      assertThat(bound).containsOnly("OptionalInt.empty").hasSize(4);
    } finally {
      spark.stop();
    }
  }

  @Test
  void inTheCudaBuildWithoutGpuTheExecutorRefusesToStartSayingWhy() {
    assumeTrue(
        BackendKind.onClasspath() == BackendKind.CUDA,
        "CPU build: run with -Pcuda to test the CUDA build's executor check");
    GpuProbe probe = GpuProbe.ofThisMachine();
    assumeTrue(
        GpuCheck.problem(probe).isPresent(), "this machine can run CUDA: " + probe.summary());

    Throwable t = catchThrowable(() -> LocalSpark.start(conf()).stop());

    assertThat(rootCause(t))
        .isInstanceOf(IllegalStateException.class)
        .extracting(Throwable::getMessage, InstanceOfAssertFactories.STRING)
        .contains("needs an NVIDIA GPU and driver")
        .contains("without -Pcuda");
  }

  private static Throwable rootCause(Throwable t) {
    assertThat(t).as("session start should fail").isNotNull();
    Throwable r = t;
    while (r.getCause() != null && r.getCause() != r) {
      r = r.getCause();
    }
    return r;
  }
}
