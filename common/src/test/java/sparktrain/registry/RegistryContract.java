package sparktrain.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sparktrain.checkpoint.CheckpointCorruptException;
import sparktrain.checkpoint.LoadedCheckpoint;
import sparktrain.io.HadoopFiles;
import sparktrain.lease.Lease;
import sparktrain.lease.LeaseInfo;
import sparktrain.testing.MutableClock;

/**
 * Registry behaviour every Hadoop file system must show; subclasses run it on the local file system
 * and on a MiniDFSCluster.
 */
abstract class RegistryContract {
  static MultiLayerNetwork net1;
  static MultiLayerNetwork net2;
  static MultiLayerNetwork net3;

  private String registryUri;

  /** A fresh directory URI for this test (qualified, on the file system under test). */
  abstract String freshBase();

  abstract Configuration conf();

  @BeforeAll
  static void trainNetworks() {
    net1 = RegistryTestModels.trained(1);
    net2 = RegistryTestModels.trained(2);
    net3 = RegistryTestModels.trained(3);
  }

  @BeforeEach
  void newRegistry() {
    registryUri = freshBase() + "/registry/mnist";
  }

  private ModelRegistry registry() throws Exception {
    return ModelRegistry.open(registryUri, conf());
  }

  private FileSystem fs() throws Exception {
    return new Path(registryUri).getFileSystem(conf());
  }

  private Path file(String relative) {
    return new Path(registryUri + "/" + relative);
  }

  private RegisteredVersion register(MultiLayerNetwork net, String parent, double accuracy)
      throws Exception {
    return registry()
        .register(
            net,
            RegistryTestModels.meta("run-" + accuracy, parent, accuracy),
            Map.of("normalizer.json", ("{\"acc\":" + accuracy + "}").getBytes()),
            Map.of("decision", "promoted", "reason", "test"));
  }

  @Test
  void registeredVersionsAreNumberedLoadableAndNotChampionUntilPromoted() throws Exception {
    ModelRegistry registry = registry();
    assertThat(registry.exists()).isFalse();

    RegisteredVersion v1 = register(net1, null, 0.8);
    RegisteredVersion v2 = register(net2, "v0001", 0.9);

    assertThat(v1.version()).isEqualTo("v0001");
    assertThat(v2.version()).isEqualTo("v0002");
    assertThat(v2.uri()).startsWith(fs().getUri().getScheme()).endsWith("/mnist/versions/v0002");
    assertThat(v1.champion()).isFalse();
    assertThat(registry.champion()).isEmpty();
    assertThat(registry.loadChampion()).isEmpty();
    assertThat(registry.list()).extracting(VersionInfo::champion).containsExactly(false, false);

    LoadedCheckpoint loaded = registry.load("2");
    assertThat(loaded.network().params()).isEqualTo(net2.params());
    assertThat(new String(loaded.extraFile("normalizer.json"), StandardCharsets.UTF_8))
        .isEqualTo("{\"acc\":0.9}");
    assertThat(loaded.parent()).isEqualTo("v0001");
    assertThat(loaded.provenance())
        .containsEntry(ModelRegistry.VERSION_KEY, "v0002")
        .containsKey("inputs")
        .containsEntry("decision", Map.of("decision", "promoted", "reason", "test"));

    registry.promote("v0001", "first");
    List<VersionInfo> list = registry.list();
    assertThat(list).extracting(VersionInfo::version).containsExactly("v0001", "v0002");
    assertThat(list).extracting(VersionInfo::champion).containsExactly(true, false);
    assertThat(list.get(1).metrics()).containsEntry("accuracy", 0.9);
    assertThat(list.get(1).parent()).isEqualTo("v0001");
    assertThat(list.get(1).decisionValue()).isEqualTo("promoted");
    assertThat(list.get(1).createdAt()).isNotBlank();
    assertThat(list.get(1).problem()).isNull();
    assertThat(registry.loadChampion().orElseThrow().network().params()).isEqualTo(net1.params());
    assertThat(new String(registry.manifestJson("v0002"), StandardCharsets.UTF_8))
        .contains("\"registry_version\" : \"v0002\"");
  }

  @Test
  void registerAndPromoteIfNoChampionPromotesOnlyTheFirst() throws Exception {
    ModelRegistry registry = registry();
    RegisteredVersion first =
        registry.registerAndPromoteIfNoChampion(
            net1, RegistryTestModels.meta("a", null, 0.5), null, null);
    RegisteredVersion second =
        registry.registerAndPromoteIfNoChampion(
            net2, RegistryTestModels.meta("b", null, 0.9), null, null);

    assertThat(first.champion()).isTrue();
    assertThat(second.champion()).isFalse();
    assertThat(registry.champion()).contains("v0001");
    assertThat(registry.history())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.action()).isEqualTo(HistoryEntry.PROMOTE);
              assertThat(e.version()).isEqualTo("v0001");
              assertThat(e.previous()).isNull();
            });
  }

  @Test
  void promoteAndRollbackMoveThePointerAndRollbackFailsWithoutAnEarlierChampion() throws Exception {
    register(net1, null, 0.7);
    register(net2, "v0001", 0.8);
    register(net3, "v0002", 0.9);
    ModelRegistry registry = registry();
    registry.promote("v0001", "initial");
    registry.promote("v0002", "better");
    registry.promote("v3", "better still");
    registry.promote("v0003", "again: no change");

    assertThat(registry.champion()).contains("v0003");
    assertThat(readChampionFile()).isEqualTo("v0003\n");
    assertThat(registry.rollback("v3 misbehaves")).isEqualTo("v0002");
    assertThat(registry().champion()).contains("v0002");
    assertThat(registry.rollback("v2 too")).isEqualTo("v0001");
    assertThat(registry.loadChampion().orElseThrow().network().params()).isEqualTo(net1.params());
    assertThatThrownBy(() -> registry.rollback("once more"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("v0001 is the only champion")
        .hasMessageContaining(registry.uri());
    assertThat(registry.champion()).contains("v0001");

    assertThat(registry.history())
        .extracting(HistoryEntry::action, HistoryEntry::version, HistoryEntry::previous)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("promote", "v0001", null),
            org.assertj.core.groups.Tuple.tuple("promote", "v0002", "v0001"),
            org.assertj.core.groups.Tuple.tuple("promote", "v0003", "v0002"),
            org.assertj.core.groups.Tuple.tuple("rollback", "v0002", "v0003"),
            org.assertj.core.groups.Tuple.tuple("rollback", "v0001", "v0002"));
    assertThat(registry.history().get(3).reason()).isEqualTo("v3 misbehaves");
  }

  @Test
  void corruptedVersionIsRefusedByPromoteAndNothingChanges() throws Exception {
    register(net1, null, 0.7);
    register(net2, "v0001", 0.8);
    ModelRegistry registry = registry();
    registry.promote("v0001", "initial");
    byte[] history = HadoopFiles.readAll(fs(), file("HISTORY"));
    try (FSDataOutputStream out = fs().create(file("versions/v0002/model.zip"), true)) {
      out.write("not a model".getBytes(StandardCharsets.UTF_8));
    }

    assertThatThrownBy(() -> registry.promote("v0002", "looks better"))
        .isInstanceOf(CheckpointCorruptException.class)
        .hasMessageContaining("model.zip")
        .hasMessageContaining("v0002");
    assertThat(registry.champion()).contains("v0001");
    assertThat(HadoopFiles.readAll(fs(), file("HISTORY"))).isEqualTo(history);
    assertThatThrownBy(() -> registry.load("v0002")).isInstanceOf(CheckpointCorruptException.class);
  }

  @Test
  void crashBeforeThePointerRenameLeavesTheOldChampion() throws Exception {
    register(net1, null, 0.7);
    register(net2, "v0001", 0.8);
    registry().promote("v0001", "initial");
    // The promotion of v0002 wrote its temporary pointer and died before the rename.
    Path tmp = file(HadoopFiles.TMP_PREFIX + "CHAMPION-" + UUID.randomUUID());
    try (FSDataOutputStream out = fs().create(tmp)) {
      out.write("v0002\n".getBytes(StandardCharsets.UTF_8));
    }

    ModelRegistry fresh = registry();
    assertThat(fresh.champion()).contains("v0001");
    assertThat(fresh.loadChampion().orElseThrow().network().params()).isEqualTo(net1.params());
    assertThat(fresh.list()).filteredOn(VersionInfo::champion).hasSize(1);

    fresh.promote("v0002", "retry");
    assertThat(fresh.champion()).contains("v0002");
    assertThat(fs().exists(tmp)).isFalse();
  }

  @Test
  void crashBetweenRegisterAndPromoteKeepsTheChampionAndNeverReusesTheNumber() throws Exception {
    register(net1, null, 0.7);
    registry().promote("v0001", "initial");
    register(net2, "v0001", 0.9); // decided "promoted", then killed before promote()

    ModelRegistry fresh = registry();
    assertThat(fresh.champion()).contains("v0001");
    assertThat(fresh.list())
        .filteredOn(VersionInfo::champion)
        .extracting(VersionInfo::version)
        .containsExactly("v0001");
    assertThat(register(net3, "v0001", 0.95).version()).isEqualTo("v0003");
  }

  @Test
  void crashBetweenPointerAndHistoryIsRecoveredAndRollbackStillWorks() throws Exception {
    register(net1, null, 0.7);
    register(net2, "v0001", 0.8);
    registry().promote("v0001", "initial");
    // promote(v0002) replaced CHAMPION and died before appending to HISTORY.
    HadoopFiles.writeAtomically(fs(), file("CHAMPION"), "v0002\n".getBytes(StandardCharsets.UTF_8));

    ModelRegistry fresh = registry();
    assertThat(fresh.champion()).contains("v0002");
    assertThat(fresh.rollback("undo")).isEqualTo("v0001");
    assertThat(fresh.history())
        .extracting(HistoryEntry::action)
        .containsExactly("promote", "recovered", "rollback");
    assertThatThrownBy(() -> fresh.rollback("again")).isInstanceOf(RegistryException.class);
  }

  @Test
  void crashDuringRollbackIsRecognisedOnTheNextRollback() throws Exception {
    register(net1, null, 0.7);
    register(net2, "v0001", 0.8);
    ModelRegistry registry = registry();
    registry.promote("v0001", "initial");
    registry.promote("v0002", "better");
    // rollback() replaced CHAMPION with v0001 and died before appending to HISTORY.
    HadoopFiles.writeAtomically(fs(), file("CHAMPION"), "v0001\n".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> registry.rollback("again"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("v0001 is the only champion");
  }

  @Test
  void concurrentRegistersGetDistinctVersions() throws Exception {
    int writers = 4;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<RegisteredVersion>> futures = new ArrayList<>();
    try {
      for (int i = 0; i < writers; i++) {
        MultiLayerNetwork net = net1.clone();
        String run = "w" + i;
        Callable<RegisteredVersion> task =
            () -> {
              ModelRegistry own = registry();
              start.await();
              return own.register(net, RegistryTestModels.meta(run, null, 0.5), null, null);
            };
        futures.add(pool.submit(task));
      }
      start.countDown();
      List<String> versions = new ArrayList<>();
      for (Future<RegisteredVersion> f : futures) {
        versions.add(f.get(60, TimeUnit.SECONDS).version());
      }
      assertThat(versions).doesNotHaveDuplicates().hasSize(writers);
      ModelRegistry registry = registry();
      assertThat(registry.versions()).containsExactlyInAnyOrderElementsOf(versions);
      List<String> runs = new ArrayList<>();
      for (String v : versions) {
        runs.add(registry.load(v).runId());
      }
      assertThat(runs).containsExactlyInAnyOrder("w0", "w1", "w2", "w3");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void unknownVersionsAndRegistriesAreUserErrorsNamingThem() throws Exception {
    ModelRegistry empty = registry();
    assertThatThrownBy(empty::requireExists)
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining(empty.uri());
    assertThatThrownBy(() -> empty.load("v0001"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("No model registry");
    register(net1, null, 0.7);
    assertThatThrownBy(() -> registry().promote("v0009", "x"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("No version v0009")
        .hasMessageContaining("[v0001]");
    assertThatThrownBy(() -> registry().load("latest"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("'latest'");
    assertThatThrownBy(() -> registry().rollback("x"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("no champion");
    HadoopFiles.writeAtomically(fs(), file("CHAMPION"), "garbage".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> registry().champion())
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("'garbage'")
        .hasMessageContaining("CHAMPION");
  }

  @Test
  void watermarkRoundTripsAndIsReplaced() throws Exception {
    ModelRegistry registry = registry();
    assertThat(registry.lastRetrainWatermark()).isEmpty();
    RetrainWatermark first =
        RetrainWatermark.now(
            "v0001",
            List.of(Map.of("path", "hdfs:///data/dt=2026-11-23", "bytes", 123, "modified", 5)),
            "dt=2026-11-23");
    registry.setWatermark(first);
    registry.setWatermark(RetrainWatermark.now("v0002", null, "dt=2026-11-24"));

    RetrainWatermark read = registry().lastRetrainWatermark().orElseThrow();
    assertThat(read.version()).isEqualTo("v0002");
    assertThat(read.maxPartition()).isEqualTo("dt=2026-11-24");
    assertThat(read.inputs()).isEmpty();
    registry.setWatermark(first);
    assertThat(registry().lastRetrainWatermark()).contains(first);
  }

  @Test
  void twoConcurrentLockAcquisitionsOneIsRefused() throws Exception {
    for (int round = 0; round < 5; round++) {
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<Future<Lease.Handle>> futures = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          RegistryLock lock = registry().lock(); // two instances, as two processes would have
          futures.add(
              pool.submit(
                  () -> {
                    start.await();
                    return lock.tryAcquire(Duration.ofMinutes(5), "retrain");
                  }));
        }
        start.countDown();
        List<Lease.Handle> won = new ArrayList<>();
        List<Throwable> refused = new ArrayList<>();
        for (Future<Lease.Handle> f : futures) {
          try {
            won.add(f.get(30, TimeUnit.SECONDS));
          } catch (java.util.concurrent.ExecutionException e) {
            refused.add(e.getCause());
          }
        }
        assertThat(won).as("round %d", round).hasSize(1);
        assertThat(refused)
            .singleElement()
            .isInstanceOf(RegistryLockedException.class)
            .satisfies(
                t ->
                    assertThat(t.getMessage())
                        .contains(won.get(0).info().id())
                        .contains(won.get(0).info().host())
                        .contains("pid " + ProcessHandle.current().pid())
                        .contains("since " + won.get(0).info().acquiredAt())
                        .contains("--break-lock")
                        .contains("retrain"));
        assertThat(((RegistryLockedException) refused.get(0)).holder().id())
            .isEqualTo(won.get(0).info().id());
        won.get(0).close();
        assertThat(registry().lock().current()).isEmpty();
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void staleLockIsBrokenAfterExpiryAndTheOldHolderCannotReleaseTheNewOne() throws Exception {
    MutableClock clock = new MutableClock(java.time.Instant.now());
    Lease.Handle crashed =
        ModelRegistry.open(registryUri, conf(), clock)
            .lock()
            .tryAcquire(Duration.ofMinutes(30), "retrain");
    clock.advance(Duration.ofMinutes(29));
    assertThatThrownBy(
            () ->
                ModelRegistry.open(registryUri, conf(), clock)
                    .lock()
                    .tryAcquire(Duration.ofMinutes(1)))
        .isInstanceOf(RegistryLockedException.class)
        .hasMessageContaining("expiring " + crashed.info().expiresAt());

    clock.advance(Duration.ofMinutes(2));
    Lease.Handle next =
        ModelRegistry.open(registryUri, conf(), clock)
            .lock()
            .tryAcquire(Duration.ofMinutes(1), "retrain");

    assertThat(next.brokenStale()).map(LeaseInfo::id).contains(crashed.info().id());
    crashed.close(); // the crashed holder "comes back": must not delete the new lock
    assertThat(registry().lock().current()).map(LeaseInfo::id).contains(next.info().id());
    assertThatThrownBy(crashed::verifyHeld).isInstanceOf(RegistryLockedException.class);
    next.verifyHeld();
    next.renew(Duration.ofMinutes(2));
    assertThat(registry().lock().current().orElseThrow().expiresAt())
        .isEqualTo(next.info().expiresAt());
    next.close();
    assertThat(registry().lock().current()).isEmpty();
  }

  @Test
  void explicitBreakRemovesALiveLock() throws Exception {
    Lease.Handle holder = registry().lock().tryAcquire(Duration.ofHours(1), "retrain");

    Optional<LeaseInfo> broken = registry().lock().breakLock();

    assertThat(broken).map(LeaseInfo::id).contains(holder.info().id());
    Lease.Handle next = registry().lock().tryAcquire(Duration.ofMinutes(1));
    assertThat(next.brokenStale()).isEmpty();
    assertThatThrownBy(holder::verifyHeld)
        .isInstanceOf(RegistryLockedException.class)
        .hasMessageContaining("Lost the lock");
    next.close();
    assertThat(registry().lock().breakLock()).isEmpty();
  }

  @Test
  void anUnreadableFreshLockFileRefusesUntilItIsOld() throws Exception {
    try (FSDataOutputStream out = fs().create(file("LOCK"))) {
      out.write("{not json".getBytes(StandardCharsets.UTF_8));
    }
    assertThatThrownBy(() -> registry().lock().tryAcquire(Duration.ofMinutes(1)))
        .isInstanceOf(RegistryLockedException.class)
        .hasMessageContaining("unreadable");
    Lease.Handle handle = registry().lock().tryAcquire(Duration.ofMillis(1));
    // ttl 1 ms: the unreadable lock counts as expired one millisecond after it was written
    assertThat(handle.brokenStale()).isPresent();
    handle.close();
  }

  private String readChampionFile() throws Exception {
    return new String(HadoopFiles.readAll(fs(), file("CHAMPION")), StandardCharsets.UTF_8);
  }
}
