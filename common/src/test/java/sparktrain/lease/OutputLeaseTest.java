package sparktrain.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.io.Json;

/**
 * The lease on an output directory, on the local file system: what the lease file says, the refusal
 * line, re-entrancy within a thread, a stale lease taken over and a live one refused, a lost lease
 * noticed. (Exclusive creation itself is the registry lock's, tested on HDFS and local files in
 * {@code RegistryContract}; two CLI processes in {@code OneWriter*Test}.)
 */
class OutputLeaseTest {
  private static final Duration TTL = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private OutputLease acquire(Path dir) throws Exception {
    return OutputLease.acquire(
        dir.toString(),
        new Configuration(),
        TTL,
        "train",
        "rerun with --resume to continue its run");
  }

  @Test
  void theLeaseFileNamesTheHolderAndIsReentrantWithinItsThread() throws Exception {
    Path dir = tmp.resolve("run");
    Path file = dir.resolve(OutputLease.FILE_NAME);
    try (OutputLease outer = acquire(dir)) {
      JsonNode held = JSON.readTree(file.toFile());
      assertThat(held.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
      assertThat(held.get("purpose").asText()).isEqualTo("train");
      assertThat(Instant.parse(held.get("expires_at").asText()))
          .isAfter(Instant.now().plus(TTL).minusSeconds(30));
      outer.recordApplication("local-1234");
      assertThat(JSON.readTree(file.toFile()).get("application").asText()).isEqualTo("local-1234");

      FileSystem fs = FileSystem.getLocal(new Configuration());
      assertThat(OutputLease.isLeaseEntry("._LEASE.crc")).isTrue();
      assertThat(OutputLease.isLeaseEntry("_tmp-_LEASE-new-0c9e")).isTrue();
      assertThat(OutputLease.isLeaseEntry("_LEASES")).isFalse();
      assertThat(OutputLease.contents(fs, new org.apache.hadoop.fs.Path(dir.toUri())))
          .as("a directory holding only its lease counts as empty")
          .isEmpty();
      Files.writeString(dir.resolve("config.conf"), "x");
      assertThat(OutputLease.contents(fs, new org.apache.hadoop.fs.Path(dir.toUri())))
          .extracting(FileStatus::getPath)
          .extracting(org.apache.hadoop.fs.Path::getName)
          .containsExactly("config.conf");

      try (OutputLease inner = acquire(dir)) {
        inner.check();
        assertThat(inner.directory()).isEqualTo(outer.directory());
      }
      assertThat(file).as("the inner hold leaves the lease").exists();
      outer.check();
    }
    assertThat(file).as("the outermost hold releases it").doesNotExist();
    acquire(dir).close(); // free again
  }

  @Test
  void aDirectoryCreatedForTheLeaseAloneIsRemovedAtRelease() throws Exception {
    Path fresh = tmp.resolve("never-written");
    try (OutputLease lease = acquire(fresh)) {
      lease.recordApplication("local-1"); // a renewal: its checksum file goes with the lease
      assertThat(fresh).isDirectory();
    }
    assertThat(fresh).as("a refused or failed command leaves nothing behind").doesNotExist();

    Path existing = Files.createDirectories(tmp.resolve("existing"));
    acquire(existing).close();
    assertThat(existing).as("a directory that existed before stays").isEmptyDirectory();
  }

  @Test
  void anotherThreadIsRefusedLikeAnotherProcess() throws Exception {
    Path dir = tmp.resolve("run");
    try (OutputLease held = acquire(dir)) {
      CompletableFuture<OutputLease> other =
          CompletableFuture.supplyAsync(() -> acquireOrThrow(dir));
      assertThat(other)
          .failsWithin(Duration.ofSeconds(10))
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .havingCause()
          .isInstanceOf(LeaseHeldException.class)
          .withMessageContaining("is being written by train on host")
          .withMessageContaining("pid " + ProcessHandle.current().pid())
          .withMessageContaining("another thread of this process");
    }
  }

  @Test
  void aLiveForeignLeaseIsRefusedInOneLineAndAnExpiredOneIsTakenOver() throws Exception {
    Path dir = tmp.resolve("run");
    Files.createDirectories(dir);
    Instant since = Instant.now().minusSeconds(600);
    Instant expiry = Instant.now().plusSeconds(60);
    LeaseInfo live =
        new LeaseInfo(
            "node7",
            4242,
            "id-1",
            "train",
            since.toString(),
            expiry.toString(),
            "app-20261205-0007");
    Files.write(dir.resolve(OutputLease.FILE_NAME), Json.pretty(live));

    assertThatThrownBy(() -> acquire(dir))
        .isInstanceOf(LeaseHeldException.class)
        .hasMessageNotContaining("\n")
        .hasMessageContaining("Output directory file:" + dir + " is being written by")
        .hasMessageContaining(
            "train on host node7 (pid 4242, Spark application app-20261205-0007, lock id id-1)"
                + " since "
                + since)
        .hasMessageContaining("If that process is gone, its lease expires at " + expiry)
        .hasMessageContaining("then rerun with --resume to continue its run.")
        .satisfies(e -> assertThat(((LeaseHeldException) e).holder()).isEqualTo(live));

    LeaseInfo stale =
        new LeaseInfo(
            "node7", 4242, "id-2", "train", since.toString(), since.plusSeconds(120).toString());
    Files.write(dir.resolve(OutputLease.FILE_NAME), Json.pretty(stale));
    try (OutputLease taken = acquire(dir)) {
      JsonNode now = JSON.readTree(dir.resolve(OutputLease.FILE_NAME).toFile());
      assertThat(now.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
      assertThat(now.get("id").asText()).isNotEqualTo("id-2");
    }
  }

  @Test
  void aLeaseTakenOverByAnotherHolderIsReportedLostAndNotRemoved() throws Exception {
    Path dir = tmp.resolve("run");
    Path file = dir.resolve(OutputLease.FILE_NAME);
    OutputLease mine = acquire(dir);
    assertThat(mine.isHeld()).isTrue();
    LeaseInfo other =
        new LeaseInfo(
            "node8",
            7,
            "id-other",
            "train",
            Instant.now().toString(),
            Instant.now().plusSeconds(60).toString());
    Files.write(file, Json.pretty(other)); // as if this process had stalled past its expiry
    Files.deleteIfExists(dir.resolve("." + OutputLease.FILE_NAME + ".crc"));

    assertThatThrownBy(mine::check)
        .isInstanceOf(LeaseHeldException.class)
        .hasMessageContaining("Lost the lease on output directory")
        .hasMessageContaining("now names train on host node8 (pid 7");
    assertThat(mine.isHeld()).isFalse();
    mine.close();
    assertThat(JSON.readTree(file.toFile()).get("id").asText())
        .as("the new holder's lease stays")
        .isEqualTo("id-other");
  }

  private OutputLease acquireOrThrow(Path dir) {
    try {
      return acquire(dir);
    } catch (Exception e) {
      throw new java.util.concurrent.CompletionException(e);
    }
  }
}
