package sparktrain.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real child JVM: what it gets (options, arguments, environment, directory) and its log. */
class ChildJvmTest {
  /** Prints what it was started with, one item a line, and exits 3. */
  public static final class Echo {
    public static void main(String[] args) {
      System.out.println("arg=" + String.join(",", args));
      System.out.println("prop=" + System.getProperty("childjvm.test"));
      System.out.println("tmp=" + System.getProperty("java.io.tmpdir"));
      System.out.println("maxheap=" + Runtime.getRuntime().maxMemory());
      System.out.println("set=" + System.getenv("CHILDJVM_SET"));
      System.out.println("path=" + System.getenv("PATH"));
      System.out.println("cwd=" + Path.of("").toAbsolutePath());
      System.out.println(
          "flags="
              + ManagementFactory.getRuntimeMXBean()
                  .getInputArguments()
                  .contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"));
      System.err.println("to stderr");
      System.exit(3);
    }
  }

  @Test
  void startsTheMainClassWithItsOptionsEnvironmentAndDirectoryLoggingBothStreams(@TempDir Path tmp)
      throws Exception {
    Path log = tmp.resolve("echo.log");
    Process p =
        ChildJvm.of(Echo.class.getName(), List.of("a", "b c"))
            .heap("64m")
            .tmpDir(tmp)
            .options(List.of("-Dchildjvm.test=yes"))
            .directory(tmp)
            .env("CHILDJVM_SET", "value")
            .env("PATH", null)
            .start(log);

    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(3);
    List<String> lines = ChildJvm.tail(log, 100);
    assertThat(lines)
        .contains(
            "arg=a,b c",
            "prop=yes",
            "tmp=" + tmp,
            "set=value",
            "path=null",
            "cwd=" + tmp.toAbsolutePath(),
            "flags=true",
            "to stderr");
    long maxHeap =
        Long.parseLong(
            lines.stream()
                .filter(l -> l.startsWith("maxheap="))
                .findFirst()
                .orElseThrow()
                .substring("maxheap=".length()));
    assertThat(maxHeap).isLessThanOrEqualTo(64L << 20);
    assertThat(ChildJvm.tail(log, 2)).containsExactly("flags=true", "to stderr");
  }

  @Test
  void tailOfAMissingLogSaysSoAndAStartFailureNamesTheLog(@TempDir Path tmp) {
    Path missing = tmp.resolve("missing.log");
    assertThat(ChildJvm.tail(missing, 5)).singleElement().asString().contains("missing.log");
    Path log = tmp.resolve("no-such-dir").resolve("x.log");
    assertThatThrownBy(() -> ChildJvm.of(Echo.class.getName(), List.of()).start(log))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("x.log");
  }
}
