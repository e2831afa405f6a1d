package sparktrain.registry;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One line of a registry's {@code HISTORY} file (JSON Lines): a change of champion.
 *
 * @param at ISO-8601 instant of the change
 * @param action {@value #PROMOTE}, {@value #ROLLBACK} or {@value #RECOVERED} (a {@code CHAMPION}
 *     change found without a history line: an interrupted promotion or a manual edit)
 * @param version the champion after the change
 * @param previous the champion before the change, or null
 * @param reason why, as given by the caller
 * @param by {@code user@host} of the process that made the change
 */
public record HistoryEntry(
    @JsonProperty("at") String at,
    @JsonProperty("action") String action,
    @JsonProperty("version") String version,
    @JsonProperty("previous") String previous,
    @JsonProperty("reason") String reason,
    @JsonProperty("by") String by) {

  /** A version was promoted (manually or by a retrain). */
  public static final String PROMOTE = "promote";

  /** The previous champion was restored. */
  public static final String ROLLBACK = "rollback";

  /** {@code CHAMPION} had changed without a history line; recorded when next noticed. */
  public static final String RECOVERED = "recovered";
}
