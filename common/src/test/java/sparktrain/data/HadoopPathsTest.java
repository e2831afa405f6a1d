package sparktrain.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Paths;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

class HadoopPathsTest {
  private static final Configuration CONF = new Configuration();

  @Test
  void relativePathResolvesAgainstTheLocalWorkingDirectory() {
    Path p = HadoopPaths.qualify("data/mnist/t10k-labels-idx1-ubyte", CONF);

    assertThat(p.toUri().getScheme()).isEqualTo("file");
    assertThat(p.toUri().getPath())
        .isEqualTo(
            Paths.get("data/mnist/t10k-labels-idx1-ubyte").toAbsolutePath().toUri().getPath());
  }

  @Test
  void absoluteLocalPathGetsTheDefaultFileSystemScheme() {
    assertThat(HadoopPaths.qualify("/tmp/x/y", CONF).toString()).isEqualTo("file:/tmp/x/y");
  }

  @Test
  void uriWithSchemeIsKept() {
    assertThat(HadoopPaths.qualify("file:///tmp/a b/c", CONF).toUri().getPath())
        .isEqualTo("/tmp/a b/c");
  }

  @Test
  void blankPathIsRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> HadoopPaths.qualify("  ", CONF))
        .withMessageContaining("path is empty");
  }
}
