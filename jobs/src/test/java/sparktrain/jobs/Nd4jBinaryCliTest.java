package sparktrain.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.runtime.Nd4jBinary;

/**
 * The CLI's driver JVM loads ND4J's AVX2 binary on a CPU with AVX2 (what {@code
 * sparktrain.runtime.Nd4jBinary} picks before ND4J loads), and the generic one when the user says
 * so with JavaCPP's property.
 */
class Nd4jBinaryCliTest {
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  @TempDir Path tmp;

  private String binaryLine(List<String> jvmOptions) throws Exception {
    Path run = tmp.resolve("run" + jvmOptions.size());
    List<String> options = new java.util.ArrayList<>(List.of("-Dspark.ui.enabled=false"));
    options.addAll(jvmOptions);
    int code;
    try (CliProcess p =
        CliProcess.start(
            tmp.resolve("console" + jvmOptions.size() + ".txt"), options, CliJobs.train(run, 1))) {
      code = p.await(TIMEOUT);
    }
    assertThat(code).isZero();
    return Files.readAllLines(run.resolve("logs").resolve("driver.log")).stream()
        .filter(l -> l.contains("Binary level"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void theAvx2BinaryOnAnAvx2CpuAndTheGenericOneWhenTheUserSaysSo() throws Exception {
    assumeTrue(Nd4jBinary.cpuCanRunAvx2(), "this CPU has no AVX2");
    assertThat(binaryLine(List.of())).contains("Binary level AVX/AVX2");
    assertThat(binaryLine(List.of("-Dorg.bytedeco.javacpp.platform.extension=")))
        .contains("Binary level Generic x86");
  }
}
