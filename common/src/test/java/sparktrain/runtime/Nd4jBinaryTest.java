package sparktrain.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.testing.LocalSpark;

class Nd4jBinaryTest {
  private static final Set<String> HASWELL = Set.of("sse4_2", "avx", "avx2", "fma", "f16c", "bmi2");

  @TempDir Path tmp;

  @Test
  void theAvx2BinaryOnLinuxX64WithAvx2FmaAndF16c() {
    assertThat(Nd4jBinary.choose("Linux", "amd64", HASWELL, true)).isEqualTo(Nd4jBinary.AVX2);
    assertThat(Nd4jBinary.choose("Linux", "x86_64", HASWELL, true)).isEqualTo("-avx2");
  }

  @Test
  void theGenericBinaryWhereTheCpuOrThePlatformOrTheBuildLacksIt() {
    assertThat(Nd4jBinary.choose("Linux", "amd64", Set.of("avx", "avx2", "f16c"), true)).isEmpty();
    assertThat(Nd4jBinary.choose("Linux", "amd64", Set.of("avx", "fma", "f16c"), true)).isEmpty();
    assertThat(Nd4jBinary.choose("Linux", "amd64", Set.of(), true)).isEmpty();
    assertThat(Nd4jBinary.choose("Linux", "amd64", HASWELL, false)).isEmpty();
    assertThat(Nd4jBinary.choose("Linux", "aarch64", HASWELL, true)).isEmpty();
    assertThat(Nd4jBinary.choose("Mac OS X", "x86_64", HASWELL, true)).isEmpty();
  }

  @Test
  void cpuFlagsAreTheFirstFlagsLineOfCpuinfo() throws Exception {
    Path cpuinfo =
        Files.writeString(
            tmp.resolve("cpuinfo"),
            "processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu avx2  fma f16c\n"
                + "bugs\t\t: spectre_v1\n\nprocessor\t: 1\nflags\t\t: fpu\n");
    assertThat(Nd4jBinary.cpuFlags(cpuinfo))
        .containsExactlyInAnyOrder("fpu", "avx2", "fma", "f16c");
    assertThat(Nd4jBinary.cpuFlags(tmp.resolve("missing"))).isEmpty();
  }

  @Test
  void theBuildShipsTheAvx2Library() {
    // the default build's nd4j-avx2 profile; without it every machine would run the generic one
    assertThat(
            getClass()
                .getClassLoader()
                .getResource(
                    "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64-avx2/libjnind4jcpu.so"))
        .isNotNull();
  }

  @Test
  void theExecutorPluginSelectsWhenTheExecutorStarts() {
    org.nd4j.linalg.factory.Nd4j.scalar(1f); // this JVM's binary is fixed from here on
    String before = System.getProperty(Nd4jBinary.EXTENSION_PROPERTY);
    System.clearProperty(Nd4jBinary.EXTENSION_PROPERTY);
    String expected =
        Nd4jBinary.choose(
            System.getProperty("os.name"),
            System.getProperty("os.arch"),
            Nd4jBinary.cpuFlags(Path.of("/proc/cpuinfo")),
            Nd4jBinary.avx2Visible());
    try (JavaSparkContext jsc =
        new JavaSparkContext(
            LocalSpark.conf(2).set("spark.plugins", Nd4jBinaryPlugin.class.getName()))) {
      assertThat(jsc.parallelize(java.util.List.of(1, 2), 2).count()).isEqualTo(2);
      // the (local) executor's plugin ran at its start
      assertThat(System.getProperty(Nd4jBinary.EXTENSION_PROPERTY, "unset"))
          .isEqualTo(expected.isEmpty() ? "unset" : expected);
    } finally {
      restore(before);
    }
  }

  @Test
  void aValueTheUserSetIsKept() {
    String before = System.getProperty(Nd4jBinary.EXTENSION_PROPERTY);
    System.setProperty(Nd4jBinary.EXTENSION_PROPERTY, ""); // the generic binary, said by the user
    try {
      assertThat(Nd4jBinary.select()).isEmpty();
      assertThat(System.getProperty(Nd4jBinary.EXTENSION_PROPERTY)).isEmpty();
    } finally {
      restore(before);
    }
  }

  private static void restore(String value) {
    if (value == null) {
      System.clearProperty(Nd4jBinary.EXTENSION_PROPERTY);
    } else {
      System.setProperty(Nd4jBinary.EXTENSION_PROPERTY, value);
    }
  }
}
