package sparktrain.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.config.JobConfig;
import sparktrain.io.Json;
import sparktrain.train.RunDirectoryException;

/**
 * Runs a {@link BenchmarkPlan}: each competitor in turn on the same Spark session, with its memory
 * watched, then its optional profiling pass; then writes {@value #JSON}, {@value #PNG} and {@value
 * #TABLE} into the plan's output directory. Competitors' own runs go under {@value #WORK}/.
 */
public final class Benchmark {
  /** The results file. */
  public static final String JSON = "benchmark.json";

  /** The chart: test accuracy vs wall seconds. */
  public static final String PNG = "accuracy-vs-time.png";

  /** The table as printed. */
  public static final String TABLE = "benchmark.txt";

  /** Directory of the competitors' runs and temporary files. */
  public static final String WORK = "work";

  private static final Logger LOG = LoggerFactory.getLogger(Benchmark.class);

  private Benchmark() {}

  /**
   * What a benchmark produced.
   *
   * @param table the rendered table (as printed)
   * @param skipped competitors that declined the workload, with the reason
   */
  public record Outcome(
      BenchmarkReport report, String table, Map<String, String> skipped, Path json, Path png) {}

  /**
   * Runs the plan.
   *
   * @throws RunDirectoryException when the output directory holds a previous benchmark (see {@link
   *     #clearPrevious})
   */
  public static Outcome run(BenchmarkPlan plan, SparkSession spark) {
    Path out = plan.outputDir();
    checkOutput(out);
    JobConfig base = plan.config(List.of()); // fails early on a bad config
    if (plan.baseline().unsupported(base).isPresent()) {
      throw new IllegalArgumentException(
          "the baseline "
              + plan.baseline().name()
              + " cannot run this workload: "
              + plan.baseline().unsupported(base).get());
    }
    createDirectories(out.resolve(WORK));
    Map<String, Object> machine = MachineInfo.collect(spark);
    Map<String, String> skipped = new LinkedHashMap<>();
    List<Results.Measured> measured = new ArrayList<>();
    int i = 0;
    for (Competitor c : plan.competitors()) {
      i++;
      Optional<String> why = c.unsupported(base);
      if (why.isPresent()) {
        LOG.warn("benchmark: skipping {}: {}", c.name(), why.get());
        skipped.put(c.name(), why.get());
        continue;
      }
      LOG.info(
          "benchmark {}/{}: {} ({}), {} epochs",
          i,
          plan.competitors().size(),
          c.name(),
          c.description(),
          plan.epochs());
      Path work = out.resolve(WORK).resolve(c.name());
      createDirectories(work);
      BenchmarkContext ctx = new BenchmarkContext(spark, plan, work);
      settle();
      MemoryMonitor memory = MemoryMonitor.start();
      CompetitorRun run;
      try {
        run = c.run(ctx);
      } finally {
        memory.close();
      }
      if (run.epochs().size() != plan.epochs()) {
        throw new IllegalStateException(
            c.name() + " ran " + run.epochs().size() + " epochs, the plan says " + plan.epochs());
      }
      Map<String, Object> profile = Map.of();
      if (plan.profileEpochs() > 0) {
        profile = c.profile(ctx, Math.min(plan.profileEpochs(), plan.epochs()));
      }
      measured.add(
          new Results.Measured(
              c,
              run,
              memory.peakHeapBytes(),
              memory.peakOffHeapBytes(),
              memory.peakRssBytes(),
              memory.peakJavacppBytes(),
              profile));
    }
    BenchmarkReport report =
        new BenchmarkReport(machine, plan.baseline().name(), Results.compare(measured, plan));
    String table = BenchmarkTable.render(report, plan.targetAccuracy(), skipped);
    Path json = out.resolve(JSON);
    Path png = out.resolve(PNG);
    try {
      Files.write(json, Json.pretty(report));
      Files.write(png, AccuracyChart.png(report, plan.targetAccuracy()));
      Files.writeString(out.resolve(TABLE), table, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the benchmark's results into " + out, e);
    }
    return new Outcome(report, table, skipped, json, png);
  }

  /**
   * Refuses an output directory that holds a previous benchmark's results or work directory.
   *
   * @throws RunDirectoryException naming the directory and the way out
   */
  public static void checkOutput(Path outputDir) {
    if (Files.exists(outputDir.resolve(JSON)) || Files.exists(outputDir.resolve(WORK))) {
      throw new RunDirectoryException(
          "output directory "
              + outputDir.toAbsolutePath()
              + " holds a previous benchmark ("
              + JSON
              + " or "
              + WORK
              + "/); choose another --output, or pass --force to replace it");
    }
  }

  /** Deletes a previous benchmark's results and work directory from {@code outputDir}. */
  public static void clearPrevious(Path outputDir) {
    try {
      for (String f : List.of(JSON, PNG, TABLE)) {
        Files.deleteIfExists(outputDir.resolve(f));
      }
      Path work = outputDir.resolve(WORK);
      if (Files.exists(work)) {
        try (Stream<Path> all = Files.walk(work)) {
          for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear the previous benchmark in " + outputDir, e);
    }
  }

  /** Lets the previous competitor's garbage (heap and ND4J's off-heap) go before measuring. */
  private static void settle() {
    System.gc();
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create directory " + dir, e);
    }
  }
}
