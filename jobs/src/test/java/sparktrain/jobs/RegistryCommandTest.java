package sparktrain.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.checkpoint.CheckpointMetadata;
import sparktrain.checkpoint.TinyNetworks;
import sparktrain.lease.Lease;
import sparktrain.registry.ModelRegistry;

/** {@code sparktrain registry ...} as a user or a scheduler runs it: output and exit codes. */
class RegistryCommandTest {
  private static MultiLayerNetwork net;

  @TempDir Path tmp;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private PrintStream oldErr;
  private PrintStream oldOut;
  private String registryUri;

  @BeforeAll
  static void buildNetwork() {
    net = TinyNetworks.softmax(new Random(3).nextLong());
  }

  @BeforeEach
  void captureStreamsAndRegisterTwoVersions() throws Exception {
    oldErr = System.err;
    oldOut = System.out;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    registryUri = tmp.resolve("registry/mnist").toString();
    ModelRegistry registry = registry();
    registry.registerAndPromoteIfNoChampion(net, meta("run-1", null, 0.91), null, null);
    registry.register(
        net,
        meta("run-2", "v0001", 0.93),
        Map.of("normalizer.json", new byte[] {1}),
        Map.of("decision", "promoted", "reason", "accuracy +0.02"));
  }

  @AfterEach
  void restoreStreams() {
    System.setErr(oldErr);
    System.setOut(oldOut);
  }

  private ModelRegistry registry() throws Exception {
    return ModelRegistry.open(registryUri, new Configuration());
  }

  private static CheckpointMetadata meta(String run, String parent, double accuracy) {
    return new CheckpointMetadata(
        1, 10, run, parent, Map.of("accuracy", accuracy, "loss", 0.25), "", Map.of());
  }

  private int run(String... args) {
    out.reset();
    err.reset();
    return SparktrainCli.run(args);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void listPrintsATableWithTheChampionMarked() {
    assertThat(run("registry", "list", "--registry", registryUri)).as(stderr()).isZero();

    List<String> lines = stdout().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0).split("\\s+"))
        .containsExactly("VERSION", "CHAMPION", "CREATED", "DECISION", "PARENT", "METRICS");
    assertThat(lines.get(1).split("\\s+"))
        .startsWith("v0001", "*")
        .endsWith("-", "-", "accuracy=0.9100", "loss=0.2500");
    assertThat(lines.get(2).split("\\s+"))
        .startsWith("v0002")
        .doesNotContain("*")
        .endsWith("promoted", "v0001", "accuracy=0.9300", "loss=0.2500");
    assertThat(lines.get(1)).containsPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
  }

  @Test
  void showPrintsTheManifestOfAVersionOrOfTheChampion() throws Exception {
    assertThat(run("registry", "show", "--registry", registryUri, "v0002")).as(stderr()).isZero();
    JsonNode manifest = new ObjectMapper().readTree(stdout());
    assertThat(manifest.get("run_id").asText()).isEqualTo("run-2");
    assertThat(manifest.get("files").has("normalizer.json")).isTrue();
    assertThat(manifest.at("/provenance/decision/decision").asText()).isEqualTo("promoted");

    assertThat(run("registry", "show", "--registry", registryUri)).isZero();
    assertThat(new ObjectMapper().readTree(stdout()).get("run_id").asText()).isEqualTo("run-1");
  }

  @Test
  void promoteThenRollbackPrintTheNewChampion() throws Exception {
    assertThat(run("registry", "promote", "--registry", registryUri, "2", "--reason", "better"))
        .as(stderr())
        .isZero();
    assertThat(stdout().trim()).isEqualTo("v0002");
    assertThat(registry().champion()).contains("v0002");
    assertThat(registry().history().get(1).reason()).isEqualTo("better");

    assertThat(run("registry", "rollback", "--registry", registryUri)).as(stderr()).isZero();
    assertThat(stdout().trim()).isEqualTo("v0001");
    assertThat(registry().champion()).contains("v0001");
    assertThat(registry().lock().current()).isEmpty();

    assertThat(run("registry", "rollback", "--registry", registryUri))
        .isEqualTo(ExitCodes.USER_ERROR);
    assertThat(stderr()).contains("error: Cannot roll back").contains("only champion");
    assertThat(registry().champion()).contains("v0001");
  }

  @Test
  void unknownRegistryOrVersionExitsTwoNamingIt() throws Exception {
    String missing = tmp.resolve("nowhere/model").toString();
    assertThat(run("registry", "list", "--registry", missing)).isEqualTo(ExitCodes.USER_ERROR);
    assertThat(stderr()).contains("No model registry").contains("nowhere/model");

    assertThat(run("registry", "promote", "--registry", registryUri, "v0042"))
        .isEqualTo(ExitCodes.USER_ERROR);
    assertThat(stderr()).contains("No version v0042").contains("[v0001, v0002]");

    assertThat(run("registry", "show", "--registry", registryUri, "newest"))
        .isEqualTo(ExitCodes.USER_ERROR);
    assertThat(stderr()).contains("'newest'");

    assertThat(run("registry", "promote", "--registry", registryUri))
        .isEqualTo(ExitCodes.USER_ERROR);
    assertThat(stderr()).contains("VERSION");
    assertThat(registry().champion()).contains("v0001");
  }

  @Test
  void corruptVersionIsRefusedWithExitTwo() throws Exception {
    Path model = tmp.resolve("registry/mnist/versions/v0002/model.zip");
    Files.write(model, new byte[] {1, 2, 3});
    Files.deleteIfExists(model.resolveSibling(".model.zip.crc"));

    assertThat(run("registry", "promote", "--registry", registryUri, "v0002"))
        .isEqualTo(ExitCodes.USER_ERROR);
    assertThat(stderr()).contains("model.zip").contains("v0002");
    assertThat(registry().champion()).contains("v0001");
  }

  @Test
  void lockedRegistryExitsThreeUntilTheLockIsBroken() throws Exception {
    Lease.Handle retrain = registry().lock().tryAcquire(Duration.ofHours(1), "retrain");

    assertThat(run("registry", "promote", "--registry", registryUri, "v0002"))
        .isEqualTo(ExitCodes.LOCKED);
    assertThat(stderr())
        .startsWith("error: ")
        .contains("locked by retrain")
        .contains(retrain.info().id())
        .contains("--break-lock")
        .doesNotContain("Exception");
    assertThat(run("registry", "rollback", "--registry", registryUri)).isEqualTo(ExitCodes.LOCKED);
    assertThat(registry().champion()).contains("v0001");
    assertThat(registry().lock().current().orElseThrow().id()).isEqualTo(retrain.info().id());

    assertThat(run("registry", "promote", "--registry", registryUri, "v0002", "--break-lock"))
        .as(stderr())
        .isZero();
    assertThat(stderr()).contains("broke the registry lock held by retrain");
    assertThat(registry().champion()).contains("v0002");
    assertThat(registry().lock().current()).isEmpty();
    retrain.close(); // no longer its lock: must leave the registry alone
    assertThat(registry().lock().current()).isEmpty();
  }

  @Test
  void registryWithoutACommandIsAUsageError() {
    assertThat(run("registry")).isEqualTo(ExitCodes.USER_ERROR);
    assertThat(stderr()).contains("list, show, promote or rollback");
    assertThat(run("--help")).isZero();
    assertThat(stdout()).contains("registry");
  }
}
