package sparktrain.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import org.junit.jupiter.api.Test;

class NvidiaSmiTest {
  @Test
  void parsesOneIndexPerLineSkippingBlankLinesAndSpaces() {
    assertThat(NvidiaSmi.parseIndexes("0\n1\r\n 2 \n\n")).containsExactly("0", "1", "2");
    assertThat(NvidiaSmi.parseIndexes("")).isEmpty();
  }

  @Test
  void rejectsALineThatIsNoIndexNamingIt() {
    assertThatThrownBy(() -> NvidiaSmi.parseIndexes("0\nNo devices were found\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'No devices were found'")
        .hasMessageContaining("--query-gpu=index");
  }

  @Test
  void queryWithoutNvidiaSmiReportsWhyInsteadOfThrowing() {
    assumeFalse(GpuTestSupport.nvidiaSmiOnPath(), "nvidia-smi is installed on this machine");

    NvidiaSmi.Result r = NvidiaSmi.query();

    assertThat(r.answered()).isFalse();
    assertThat(r.indexes()).isEmpty();
    assertThat(r.problem()).startsWith("nvidia-smi not found");
  }
}
