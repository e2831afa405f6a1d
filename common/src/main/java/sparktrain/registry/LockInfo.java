package sparktrain.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * Content of a registry's {@code LOCK} file (JSON): who holds it and until when.
 *
 * @param host host name of the holder
 * @param pid process id of the holder
 * @param id random id of this acquisition (tells two holders in one process apart)
 * @param purpose what the holder is doing, e.g. {@code retrain} or {@code promote v0003}
 * @param acquiredAt ISO-8601 instant the lock was acquired (holder's clock)
 * @param expiresAt ISO-8601 instant after which the lock counts as stale and may be broken
 */
public record LockInfo(
    @JsonProperty("host") String host,
    @JsonProperty("pid") long pid,
    @JsonProperty("id") String id,
    @JsonProperty("purpose") String purpose,
    @JsonProperty("acquired_at") String acquiredAt,
    @JsonProperty("expires_at") String expiresAt) {

  /** Whether the lock expired before {@code now}; an unparsable expiry counts as expired. */
  public boolean isExpiredAt(Instant now) {
    try {
      return Instant.parse(expiresAt).isBefore(now);
    } catch (RuntimeException e) {
      return true;
    }
  }

  /** A one-line description for messages: purpose, host, pid, id and times. */
  public String describe() {
    return String.format(
        "%s on host %s (pid %d, lock id %s) since %s, expiring %s",
        purpose == null || purpose.isBlank() ? "a process" : purpose,
        host,
        pid,
        id,
        acquiredAt,
        expiresAt);
  }
}
