package sparktrain.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real {@code submit-scripts/gpu-discovery.sh} with a PATH holding only a stand-in {@code
 * nvidia-smi} (or none) and parses its output with Spark's own parser.
 */
class GpuDiscoveryScriptTest {
  private static final Path SCRIPT =
      Paths.get("..", "submit-scripts", "gpu-discovery.sh").toAbsolutePath().normalize();

  @TempDir Path tmp;
  private Path bin;

  @BeforeEach
  void createBin() throws IOException {
    bin = Files.createDirectory(tmp.resolve("bin"));
  }

  private record Run(int exit, String stdout, String stderr) {
    ResourceInformation parsed() {
      return ResourceInformation.parseJson(stdout);
    }
  }

  @Test
  void listsTheGpusNvidiaSmiReportsInSparksFormat() throws Exception {
    fakeNvidiaSmi("printf '0\\n1\\n3\\n'; echo \"$@\" > \"$0.args\"");

    Run r = run();

    assertThat(r.exit()).isZero();
    assertThat(r.stdout().strip())
        .isEqualTo("{\"name\":\"gpu\",\"addresses\":[\"0\",\"1\",\"3\"]}");
    assertThat(r.parsed().name()).isEqualTo("gpu");
    assertThat(r.parsed().addresses()).containsExactly("0", "1", "3");
    assertThat(Files.readString(bin.resolve("nvidia-smi.args")).strip())
        .isEqualTo("--query-gpu=index --format=csv,noheader");
  }

  @Test
  void withoutNvidiaSmiPrintsNoAddressesAndSaysWhyOnStderr() throws Exception {
    Run r = run();

    assertThat(r.exit()).isZero();
    assertThat(r.parsed().name()).isEqualTo("gpu");
    assertThat(r.parsed().addresses()).isEmpty();
    assertThat(r.stderr()).contains("nvidia-smi not found");
  }

  @Test
  void whenNvidiaSmiFailsPrintsNoAddressesWithItsMessage() throws Exception {
    fakeNvidiaSmi(
        "echo \"NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\";"
            + " exit 9");

    Run r = run();

    assertThat(r.exit()).isZero();
    assertThat(r.parsed().addresses()).isEmpty();
    assertThat(r.stderr()).contains("nvidia-smi failed").contains("couldn't communicate");
  }

  @Test
  void unexpectedOutputGivesNoAddressesNotAGarbledList() throws Exception {
    fakeNvidiaSmi("echo 0; echo 'No devices were found'");

    Run r = run();

    assertThat(r.exit()).isZero();
    assertThat(r.parsed().addresses()).isEmpty();
    assertThat(r.stderr()).contains("'No devices were found'");
  }

  @Test
  void noGpuListedGivesAnEmptyListAndANote() throws Exception {
    fakeNvidiaSmi("true");

    Run r = run();

    assertThat(r.exit()).isZero();
    assertThat(r.parsed().addresses()).isEmpty();
    assertThat(r.stderr()).contains("lists no GPU");
  }

  private void fakeNvidiaSmi(String body) throws IOException {
    Path f = bin.resolve("nvidia-smi");
    Files.writeString(f, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** Runs the script with PATH = {@code bin} only. */
  private Run run() throws IOException, InterruptedException {
    Path out = tmp.resolve("stdout");
    Path err = tmp.resolve("stderr");
    ProcessBuilder pb =
        new ProcessBuilder("/bin/bash", SCRIPT.toString())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    pb.environment().put("PATH", bin.toString());
    Process p = pb.start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(SCRIPT + " did not finish in 30 s");
    }
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
