package sparktrain.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where one epoch of a sparktrain run went, from its {@code metrics.jsonl} row: fitting (the
 * slowest worker's minibatches, summed over rounds), averaging (worker 0's allreduce, waits
 * included), stage (the rest of the engine's fit: stage start, broadcast, network build, results
 * back), evaluation, checkpoint (its share of the epoch) and other (the row, the log, progress).
 * Engines that do not time rounds (dl4j) put their whole fit under fitting.
 */
final class EpochSplit {
  /** What the parts mean, for the JSON and the printed table. */
  static final String NOTE =
      "fitting = the slowest worker's fitting summed over rounds (the dl4j engine: its whole fit),"
          + " averaging = worker 0's allreduce time summed over rounds (waits for slower workers"
          + " included), stage = the rest of the engine's fit (stage start, broadcast, network"
          + " build, results back), evaluation, checkpoint = its time on the epoch's path, other ="
          + " the rest of the epoch";

  /** The parts, in the order they are printed. */
  static final List<String> PARTS =
      List.of("fitting", "averaging", "stage", "evaluation", "checkpoint", "other");

  private EpochSplit() {}

  /** The split of one epoch (seconds, rounded to 0.1 ms); the parts sum to {@code seconds}. */
  static Map<String, Object> of(
      JsonNode row, double seconds, double fit, double eval, double checkpoint) {
    double fitting = fit;
    double averaging = 0;
    if (row.hasNonNull("worker_fit_seconds") && row.hasNonNull("averaging_seconds")) {
      fitting = Math.min(fit, row.get("worker_fit_seconds").asDouble());
      averaging = Math.min(fit - fitting, row.get("averaging_seconds").asDouble());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epoch", row.get("epoch").asInt());
    m.put("seconds", Format.round4(seconds));
    m.put("fitting", Format.round4(fitting));
    m.put("averaging", Format.round4(averaging));
    m.put("stage", Format.round4(fit - fitting - averaging));
    m.put("evaluation", Format.round4(eval));
    m.put("checkpoint", Format.round4(checkpoint));
    m.put("other", Format.round4(seconds - fit - eval - checkpoint));
    return m;
  }

  /** One printed line per epoch of {@code split}, e.g. "epoch 1 3.10 = fitting 2.31 + ...". */
  static String render(String name, List<?> split) {
    StringBuilder sb = new StringBuilder();
    for (Object o : split) {
      if (!(o instanceof Map<?, ?> m)) {
        continue;
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "  %s epoch %s  %.2f s =",
              name,
              m.get("epoch"),
              ((Number) m.get("seconds")).doubleValue()));
      String sep = " ";
      for (String part : PARTS) {
        sb.append(
            String.format(
                Locale.ROOT, "%s%s %.2f", sep, part, ((Number) m.get(part)).doubleValue()));
        sep = " + ";
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
