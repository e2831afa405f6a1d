package sparktrain.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AllreduceBenchmarkTest {
  @Test
  void writesARowPerImplRanksAndSizeWithPositiveTimings(@TempDir Path tmp) throws Exception {
    List<AllreduceBenchmark.Result> results =
        AllreduceBenchmark.run(List.of(2, 3), List.of(0.0004, 0.04), 3);
    Path file = AllreduceBenchmark.write(tmp, results);
    assertThat(file).isEqualTo(tmp.resolve("allreduce.json"));

    JsonNode json = new ObjectMapper().readTree(file.toFile());
    assertThat(json.get("machine").get("cores").asInt()).isPositive();
    List<String> keys = new ArrayList<>();
    for (JsonNode row : json.get("results")) {
      keys.add(
          row.get("impl").asText() + "/" + row.get("ranks").asInt() + "/" + row.get("size_mb"));
      assertThat(row.get("rounds").asInt()).isEqualTo(3);
      assertThat(row.get("median_ms").asDouble()).isPositive();
      assertThat(row.get("p95_ms").asDouble())
          .isGreaterThanOrEqualTo(row.get("median_ms").asDouble());
      assertThat(row.get("algbw_gb_per_s").asDouble()).isPositive();
      assertThat(row.get("cpu_ms").asDouble()).isNotNegative();
      // only the secured ring seals and opens
      if (row.get("impl").asText().equals("ring-secured")) {
        assertThat(row.get("crypto_ms").asDouble()).isPositive();
      } else {
        assertThat(row.get("crypto_ms").asDouble()).isZero();
      }
    }
    List<String> expected = new ArrayList<>();
    for (int n : List.of(2, 3)) { // every implementation of one rank count, one after the other
      for (String impl : List.of("raw-tcp", "ring", "ring-secured", "local")) {
        expected.add(impl + "/" + n + "/4.0E-4");
        expected.add(impl + "/" + n + "/0.04");
      }
    }
    assertThat(keys).containsExactlyElementsOf(expected);
    assertThat(results.get(1).floats()).isEqualTo(10_000);
    assertThat(AllreduceBenchmark.table(results).lines().count()).isEqualTo(2 + 16 + 1);
    // side by side: one row per (ranks, size), the secured ring against the unsecured one and raw
    List<String> comparison = AllreduceBenchmark.comparison(results).lines().toList();
    assertThat(comparison).hasSize(2 + 4 + 1);
    assertThat(comparison.get(0))
        .contains(
            "raw ms",
            "ring ms",
            "secured ms",
            "secured/ring",
            "cpu ms ring/secured",
            "crypto ms",
            "crypto-only ratio");
    assertThat(comparison.get(2)).matches("\\| 2 +\\| +0\\.0 \\|.*%.*");
  }

  @Test
  void cryptoRatesArePositiveAndWritten(@TempDir Path tmp) throws Exception {
    Map<String, Double> rates = AllreduceBenchmark.cryptoRates();
    assertThat(rates.keySet())
        .containsExactly("aes-gcm seal", "aes-gcm open", "hmac-sha256", "gmac", "copy");
    assertThat(rates.values()).allMatch(v -> v > 0);
    assertThat(AllreduceBenchmark.cryptoLine(rates)).startsWith("one core, frames of 256 KiB");
    Path file = AllreduceBenchmark.write(tmp, List.of(), rates);
    JsonNode json = new ObjectMapper().readTree(file.toFile());
    assertThat(json.get("crypto_per_core_gb_per_s").get("aes-gcm seal").asDouble()).isPositive();
  }

  @Test
  void percentilesAndBadArguments() {
    double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertThat(AllreduceBenchmark.percentile(sorted, 0.5)).isEqualTo(5.5);
    assertThat(AllreduceBenchmark.percentile(sorted, 0.95)).isEqualTo(10);
    assertThat(AllreduceBenchmark.percentile(new double[] {3}, 0.95)).isEqualTo(3);
    assertThatThrownBy(() -> AllreduceBenchmark.run(List.of(0), List.of(1.0), 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AllreduceBenchmark.run(List.of(2), List.of(-1.0), 3))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
