package sparktrain.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CsvLineTest {

  @Test
  void splitsTrimsAndUnquotes() {
    assertThat(CsvLine.split("1, 2.5 ,x", ',')).containsExactly("1", "2.5", "x");
    assertThat(CsvLine.split("\"a,b\" , \"say \"\"hi\"\"\",", ','))
        .containsExactly("a,b", "say \"hi\"", "");
    assertThat(CsvLine.split("1\t\t3", '\t')).containsExactly("1", "", "3");
    assertThat(CsvLine.split("", ',')).containsExactly("");
  }

  @Test
  void malformedQuotesNameTheCell() {
    assertThatThrownBy(() -> CsvLine.split("1,\"open", ','))
        .isInstanceOf(CsvLine.MalformedException.class)
        .hasMessage("cell 1: unterminated quote (a quoted cell cannot span lines)");
    assertThatThrownBy(() -> CsvLine.split("\"a\"b,2", ','))
        .hasMessage("cell 0: expected the delimiter after a closing quote, got 'b'");
  }

  @Test
  void numbersAreStrictAndSayWhyNot() {
    assertThat(Numbers.value("-1.5e3")).isEqualTo(-1500);
    assertThat(Numbers.value("0x10")).isNaN();
    assertThat(Numbers.value("1d")).isNaN();
    assertThat(Numbers.problem("")).isEqualTo(BadRowKind.MISSING_VALUE);
    assertThat(Numbers.problem("NaN")).isEqualTo(BadRowKind.NOT_FINITE);
    assertThat(Numbers.problem("-Infinity")).isEqualTo(BadRowKind.NOT_FINITE);
    assertThat(Numbers.problem("1e999")).isEqualTo(BadRowKind.NOT_FINITE);
    assertThat(Numbers.problem("12a")).isEqualTo(BadRowKind.NON_NUMERIC);
    assertThat(Numbers.describe("12a")).isEqualTo("expected a number, got '12a'");
    assertThat(Numbers.fitsFloat(1e39)).isFalse();
  }
}
