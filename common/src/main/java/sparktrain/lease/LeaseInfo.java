package sparktrain.lease;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * Content of a lease file (JSON): a registry's {@code LOCK} or an output directory's {@code
 * _LEASE}: who holds it and until when.
 *
 * @param host host name of the holder
 * @param pid process id of the holder
 * @param id random id of this acquisition (tells two holders in one process apart)
 * @param purpose what the holder is doing, e.g. {@code retrain} or {@code promote v0003}
 * @param acquiredAt ISO-8601 instant the lease was acquired (holder's clock)
 * @param expiresAt ISO-8601 instant after which the lease counts as stale and may be broken
 * @param application the holder's Spark application id, or null (not known yet, or no Spark)
 */
public record LeaseInfo(
    @JsonProperty("host") String host,
    @JsonProperty("pid") long pid,
    @JsonProperty("id") String id,
    @JsonProperty("purpose") String purpose,
    @JsonProperty("acquired_at") String acquiredAt,
    @JsonProperty("expires_at") String expiresAt,
    @JsonProperty("application") @JsonInclude(JsonInclude.Include.NON_NULL) String application) {

  /** A lease without a Spark application id. */
  public LeaseInfo(
      String host, long pid, String id, String purpose, String acquiredAt, String expiresAt) {
    this(host, pid, id, purpose, acquiredAt, expiresAt, null);
  }

  /** Whether the lease expired before {@code now}; an unparsable expiry counts as expired. */
  public boolean isExpiredAt(Instant now) {
    try {
      return Instant.parse(expiresAt).isBefore(now);
    } catch (RuntimeException e) {
      return true;
    }
  }

  /** This lease expiring at {@code expiry} instead. */
  LeaseInfo expiringAt(Instant expiry) {
    return new LeaseInfo(host, pid, id, purpose, acquiredAt, expiry.toString(), application);
  }

  /** This lease naming the holder's Spark application. */
  LeaseInfo withApplication(String applicationId) {
    return new LeaseInfo(host, pid, id, purpose, acquiredAt, expiresAt, applicationId);
  }

  /**
   * A one-line description for messages: purpose, host, pid, Spark application, id and times, e.g.
   * {@code train on host h1 (pid 4242, Spark application local-1733, lock id 5f0c...) since
   * 2026-12-05T10:00:00Z, expiring 2026-12-05T10:02:00Z}.
   */
  public String describe() {
    return String.format(
        "%s on host %s (pid %d%s, lock id %s) since %s, expiring %s",
        purpose == null || purpose.isBlank() ? "a process" : purpose,
        host,
        pid,
        application == null || application.isBlank() ? "" : ", Spark application " + application,
        id,
        acquiredAt,
        expiresAt);
  }
}
