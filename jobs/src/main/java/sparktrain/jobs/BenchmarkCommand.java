package sparktrain.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sparktrain.bench.AllreduceBenchmark;
import sparktrain.bench.Benchmark;
import sparktrain.bench.BenchmarkMode;
import sparktrain.bench.BenchmarkPlan;
import sparktrain.bench.Competitor;
import sparktrain.bench.ScoringBenchmark;
import sparktrain.config.ConfigLoader;
import sparktrain.config.JobConfig;
import sparktrain.data.InputPreflight;
import sparktrain.errors.JobArgumentException;
import sparktrain.lease.OutputLease;
import sparktrain.report.DriverLog;
import sparktrain.train.RunDirectoryException;
import sparktrain.train.TrainJob;

/**
 * {@code sparktrain benchmark}: the single-process DL4J baseline, sparktrain variants and Spark
 * MLlib's MLPC, one after the other on the same data, network and seed.
 */
@Command(
    name = "benchmark",
    mixinStandardHelpOptions = true,
    description = {
      "Run the single-process DL4J baseline, sparktrain (shipped defaults and tuned variants) and"
          + " Spark MLlib's MultilayerPerceptronClassifier one after the other on the same data,"
          + " network and seed. Prints a table; writes benchmark.json, benchmark.txt and"
          + " accuracy-vs-time.png into --output.",
      "Full mode: 5 epochs on all the data, every variant. --quick: 2 epochs on the first 10,000"
          + " training examples, fewer variants (a few minutes).",
      "--allreduce: only the microbenchmark of the barrier engine's allreduce (ring over"
          + " 127.0.0.1 with ring security off and on, in-JVM, and a raw TCP baseline; ranks as"
          + " threads, no Spark); writes allreduce.json.",
      "--scoring: how fast a model scores the config's test split: plain DL4J inference in this"
          + " JVM, then evaluate and predict; writes scoring.json."
    })
final class BenchmarkCommand implements Callable<Integer> {
  /** The workload without {@code --config}. */
  static final String DEFAULT_CONFIG = "conf/mnist-mlp.conf";

  /** The results directory without {@code --output}. */
  static final String DEFAULT_OUTPUT = "benchmark-out";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--quick", description = "A few minutes instead of the full run.")
  boolean quick;

  @Mixin OutputOption output;

  @Mixin SparkOptions spark;

  @Mixin JobConfigOptions job;

  @Option(
      names = "--epochs",
      paramLabel = "N",
      description = "Epochs per competitor (default: 2 with --quick, else 5).")
  int epochs;

  @Option(
      names = "--target",
      paramLabel = "ACCURACY",
      defaultValue = "0.97",
      description = "Test accuracy for the seconds-to-target column (default: ${DEFAULT-VALUE}).")
  double target;

  @Option(
      names = "--only",
      paramLabel = "NAME",
      split = ",",
      description = "Run only these competitors (after the baseline), in this order; see --list.")
  List<String> only = new ArrayList<>();

  @Option(names = "--list", description = "List the competitors of the mode and exit.")
  boolean list;

  @Option(
      names = "--force",
      description = "Replace a previous benchmark's results and work/ in --output.")
  boolean force;

  @Option(
      names = "--allreduce",
      description =
          "Run only the allreduce microbenchmark: plain TCP moving the ring's bytes (the"
              + " baseline), RingAllreduce over 127.0.0.1 unsecured and secured (authenticated,"
              + " AES-GCM frames), and LocalAllreduce; ranks as threads of this JVM, no Spark."
              + " Prints a table and the rings side by side with the baseline; writes"
              + " allreduce.json into --output.")
  boolean allreduce;

  @Option(
      names = "--allreduce-ranks",
      paramLabel = "N",
      split = ",",
      description = "With --allreduce: rank counts (default: 2,4,8).")
  List<Integer> allreduceRanks = new ArrayList<>();

  @Option(
      names = "--allreduce-sizes",
      paramLabel = "MB",
      split = ",",
      description = "With --allreduce: array sizes in MB of 10^6 bytes (default: 0.4,1.2,4,40).")
  List<Double> allreduceSizes = new ArrayList<>();

  @Option(
      names = "--allreduce-rounds",
      paramLabel = "N",
      description =
          "With --allreduce: timed rounds per size (default: 30; a third of them from 10 MB on).")
  Integer allreduceRounds;

  @Option(
      names = "--scoring",
      description =
          "Run only the scoring benchmark on the config's test split (data.format = idx): plain"
              + " DL4J inference in this JVM (IDX streamed, bytes to floats, output and argmax per"
              + " minibatch of evaluation.batch-size, one BLAS thread), then the evaluate and"
              + " predict jobs, one after the other. Prints examples/s and the ratios to the"
              + " single-process figure; writes scoring.json, evaluate/ and predict/ into"
              + " --output.")
  boolean scoring;

  @Option(
      names = "--model",
      paramLabel = "PATH",
      description =
          "With --scoring: the model to score (what evaluate --model takes); default: one"
              + " epoch of the config's model trained first into --output/work/model-run.")
  String model;

  @Override
  public Integer call() {
    if (allreduce) {
      return runAllreduce();
    }
    if (scoring) {
      return runScoring();
    }
    if (model != null) {
      throw usage("--model needs --scoring");
    }
    if (!allreduceRanks.isEmpty() || !allreduceSizes.isEmpty() || allreduceRounds != null) {
      throw usage("--allreduce-ranks, --allreduce-sizes and --allreduce-rounds need --allreduce");
    }
    if (epochs < 0) {
      throw usage("--epochs must be >= 1, got " + epochs);
    }
    if (!(target > 0 && target <= 1)) {
      throw usage("--target must be in (0, 1], got " + target);
    }
    BenchmarkMode mode = quick ? BenchmarkMode.QUICK : BenchmarkMode.FULL;
    String output = this.output.orElse(DEFAULT_OUTPUT);
    String configFile = job.fileOr(DEFAULT_CONFIG);
    Path out = Paths.get(output);
    BenchmarkPlan plan;
    try {
      plan = mode.plan(configFile, job.sets, epochs, target, out).only(only);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    if (list) {
      for (Competitor c : plan.competitors()) {
        System.out.println(c.name() + "\t" + c.description());
      }
      return ExitCodes.OK;
    }
    // a config, Spark argument, output or data error is reported before Spark starts
    JobConfig base = plan.config(List.of());
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new JobArgumentException(
          "--output " + output + ": " + out.toAbsolutePath() + " is a file; expected a directory");
    }
    if (!force) {
      Benchmark.checkOutput(out); // previous results: before the slower checks
    }
    Configuration hadoop = spark.checkedHadoopConf();
    java.util.Optional<String> unsupported = plan.baseline().unsupported(base);
    if (unsupported.isPresent()) {
      throw new JobArgumentException(
          "the baseline "
              + plan.baseline().name()
              + " cannot run the workload of --config "
              + configFile
              + ": "
              + unsupported.get());
    }
    InputPreflight.check(
        base.data(), InputPreflight.Expectation.of(base), InputPreflight.Usage.TRAIN, hadoop);
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(out.toAbsolutePath().toUri());
    // one benchmark per --output: the lease before anything there is deleted or written
    try (OutputLease lease =
        OutputLease.acquire(
            dir.toString(), hadoop, base.output().leaseTtl(), "benchmark", "rerun with --force")) {
      if (force) {
        Benchmark.clearPrevious(out);
      }
      Benchmark.checkOutput(out);
      DriverLog.useDirectory(dir, hadoop);
      SparkSession session = spark.startTraining("sparktrain benchmark", base.training());
      try {
        lease.recordApplication(session.sparkContext().applicationId());
        Benchmark.Outcome outcome = Benchmark.run(plan, session);
        System.out.print(outcome.table());
        System.out.println(outcome.json());
        System.out.println(outcome.png());
        return ExitCodes.OK;
      } finally {
        session.stop();
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e.getMessage(), e);
    }
  }

  private int runScoring() {
    Path out = Paths.get(output.orElse(DEFAULT_OUTPUT)).toAbsolutePath();
    if (Files.exists(out.resolve(ScoringBenchmark.JSON)) && !force) {
      throw new RunDirectoryException(
          "output directory "
              + out
              + " holds a previous scoring benchmark ("
              + ScoringBenchmark.JSON
              + "); choose another --output, or pass --force to replace it");
    }
    String configFile = job.fileOr(DEFAULT_CONFIG);
    JobConfig config = ConfigLoader.load(configFile, job.sets);
    Configuration hadoop = spark.checkedHadoopConf();
    InputPreflight.check(
        config.data(),
        InputPreflight.Expectation.of(config),
        model == null ? InputPreflight.Usage.TRAIN : InputPreflight.Usage.SCORE_TEST,
        hadoop);
    SparkSession session = spark.start("sparktrain benchmark --scoring");
    try {
      String scored = model;
      if (scored == null) {
        Path run = out.resolve("work/model-run");
        List<String> sets = new ArrayList<>(job.sets);
        sets.add("training.epochs=1");
        sets.add("output.dir=\"" + run + "\"");
        JobConfig training = ConfigLoader.load(configFile, sets);
        TrainJob.run(
            training,
            session,
            force
                ? new TrainJob.Options(false, true, null, false, null, null)
                : TrainJob.Options.fresh());
        scored = run.toString();
      }
      ScoringBenchmark.Outcome outcome = ScoringBenchmark.run(config, scored, session, out);
      System.out.print(outcome.table());
      System.out.println(outcome.json());
      return ExitCodes.OK;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e.getMessage(), e);
    } finally {
      session.stop();
    }
  }

  private int runAllreduce() {
    Path out = Paths.get(output.orElse(DEFAULT_OUTPUT));
    Path json = out.resolve(AllreduceBenchmark.JSON);
    if (Files.exists(json) && !force) {
      throw new RunDirectoryException(
          "output directory "
              + out.toAbsolutePath()
              + " holds a previous allreduce benchmark ("
              + AllreduceBenchmark.JSON
              + "); choose another --output, or pass --force to replace it");
    }
    List<AllreduceBenchmark.Result> results;
    try {
      results =
          AllreduceBenchmark.run(
              allreduceRanks.isEmpty() ? AllreduceBenchmark.DEFAULT_RANKS : allreduceRanks,
              allreduceSizes.isEmpty() ? AllreduceBenchmark.DEFAULT_SIZES_MB : allreduceSizes,
              allreduceRounds == null ? AllreduceBenchmark.DEFAULT_ROUNDS : allreduceRounds);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    System.out.print(AllreduceBenchmark.table(results));
    System.out.println();
    System.out.print(AllreduceBenchmark.comparison(results));
    Map<String, Double> rates = AllreduceBenchmark.cryptoRates();
    System.out.print(AllreduceBenchmark.cryptoLine(rates));
    System.out.println(AllreduceBenchmark.write(out, results, rates));
    return ExitCodes.OK;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
