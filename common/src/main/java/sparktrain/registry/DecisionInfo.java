package sparktrain.registry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The decision recorded with a registry version (its manifest's provenance {@value
 * ModelRegistry#DECISION_KEY}): required the {@code decision} value (e.g. {@code promoted}, {@code
 * kept-champion}, {@code registered}); optional the {@code reason} (empty when none was recorded)
 * and further details (metric, improvement, the champion's and challenger's metrics ...), kept in
 * their order after the two.
 *
 * @param decision the decision value
 * @param reason one sentence with the numbers behind it, or ""
 * @param details further JSON-ready entries
 */
public record DecisionInfo(String decision, String reason, Map<String, Object> details) {
  /** Key of the decision value. */
  public static final String DECISION = "decision";

  /** Key of the reason. */
  public static final String REASON = "reason";

  /** Checks the required field, defaults the optional ones. */
  public DecisionInfo {
    Objects.requireNonNull(decision, "decision");
    reason = reason == null ? "" : reason;
    details =
        details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /** A decision with its reason and no details. */
  public DecisionInfo(String decision, String reason) {
    this(decision, reason, Map.of());
  }

  /** The JSON object: decision, reason, then the details. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(DECISION, decision);
    m.put(REASON, reason);
    details.forEach(m::putIfAbsent);
    return m;
  }

  /**
   * The decision info of a decision object as written, if it names a decision (older versions and
   * hand-made ones may lack it).
   */
  public static Optional<DecisionInfo> of(Map<?, ?> map) {
    Object d = map == null ? null : map.get(DECISION);
    if (d == null) {
      return Optional.empty();
    }
    Map<String, Object> details = new LinkedHashMap<>();
    map.forEach(
        (k, v) -> {
          if (!DECISION.equals(k) && !REASON.equals(k)) {
            details.put(String.valueOf(k), v);
          }
        });
    Object reason = map.get(REASON);
    return Optional.of(
        new DecisionInfo(d.toString(), reason == null ? "" : reason.toString(), details));
  }

  /** The decision info recorded in a version's provenance, if any. */
  public static Optional<DecisionInfo> in(Map<String, Object> provenance) {
    return provenance.get(ModelRegistry.DECISION_KEY) instanceof Map<?, ?> m
        ? of(m)
        : Optional.empty();
  }
}
