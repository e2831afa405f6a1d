package sparktrain.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpuProbeTest {
  @Test
  void searchesLdLibraryPathFirstThenTheUsualDirsOnce() {
    assertThat(GpuProbe.libraryDirs("/opt/nv::/usr/lib64"))
        .startsWith("/opt/nv", "/usr/lib64", "/usr/lib/x86_64-linux-gnu")
        .containsAll(GpuProbe.DEFAULT_LIBRARY_DIRS)
        .doesNotHaveDuplicates()
        .doesNotContain("");
    assertThat(GpuProbe.libraryDirs(null)).isEqualTo(GpuProbe.DEFAULT_LIBRARY_DIRS);
  }

  @Test
  void findsLibcudaInTheFirstDirectoryHoldingIt(@TempDir Path tmp) throws Exception {
    Path a = Files.createDirectory(tmp.resolve("a"));
    Path b = Files.createDirectory(tmp.resolve("b"));
    Path c = Files.createDirectory(tmp.resolve("c"));
    Files.writeString(b.resolve("libcuda.so.1"), "");
    Files.writeString(c.resolve("libcuda.so.1"), "");

    assertThat(GpuProbe.findLibrary(java.util.List.of(a.toString(), b.toString(), c.toString())))
        .contains(b.resolve("libcuda.so.1"));
    assertThat(GpuProbe.findLibrary(java.util.List.of(a.toString()))).isEmpty();
  }

  @Test
  void readsLibcudaFromLdconfigsCache() {
    String out =
        "1234 libs found in cache `/etc/ld.so.cache'\n"
            + "\tlibcudart.so.11.0 (libc6,x86-64) => /usr/local/cuda/lib64/libcudart.so.11.0\n"
            + "\tlibcuda.so.1 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcuda.so.1\n"
            + "\tlibcuda.so (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcuda.so\n";

    assertThat(GpuProbe.parseLdconfig(out))
        .contains(Path.of("/usr/lib/x86_64-linux-gnu/libcuda.so.1"));
    assertThat(GpuProbe.parseLdconfig("\tlibcudart.so.11.0 (libc6) => /x/libcudart.so.11.0\n"))
        .isEmpty();
  }

  @Test
  void probeOfThisMachineMatchesTheBuild() {
    GpuProbe p = GpuProbe.ofThisMachine();

    assertThat(p.backend()).isEqualTo(BackendKind.onClasspath());
    assertThat(p.host()).isNotBlank();
    assertThat(p.summary()).contains(p.host()).contains(p.backend().toString());
  }
}
