package sparktrain.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.checkpoint.BackgroundCheckpoints;
import sparktrain.checkpoint.CheckpointInfo;
import sparktrain.checkpoint.CheckpointStore;
import sparktrain.config.EarlyStoppingConfig;
import sparktrain.config.JobConfig;
import sparktrain.config.PlateauConfig;
import sparktrain.eval.DistributedEvaluator;
import sparktrain.eval.EvaluationResult;
import sparktrain.io.Json;
import sparktrain.spark.SparkPhase;

/**
 * The epochs of a {@code train} run: each one a parameter-averaged fit through the {@link
 * TrainingEngine}, the evaluation (validation split every epoch when there is one, the test split
 * after the last), the epoch's checkpoint, its {@code metrics.jsonl} row and headline.
 */
final class EpochLoop {
  private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);
  private static final ObjectMapper PLAIN_JSON = new ObjectMapper();

  /** Where the run stands: minibatches fitted so far and the newest checkpoint's name. */
  record Position(long iterations, String parent) {}

  private final JavaSparkContext sc;
  private final JobConfig config;
  private final TrainingEngine engine;
  private final CheckpointStore store;
  private final PreparedData data;
  private final RunRecords records;
  private final RunProgress progress;
  private final RoundCheckpoints roundCheckpoints;
  private final CheckpointMetadataFactory metadata;
  private final long batchesPerEpoch;

  EpochLoop(
      JavaSparkContext sc,
      JobConfig config,
      TrainingEngine engine,
      CheckpointStore store,
      PreparedData data,
      RunRecords records,
      RunProgress progress,
      RoundCheckpoints roundCheckpoints,
      CheckpointMetadataFactory metadata,
      long batchesPerEpoch) {
    this.sc = sc;
    this.config = config;
    this.engine = engine;
    this.store = store;
    this.data = data;
    this.records = records;
    this.progress = progress;
    this.roundCheckpoints = roundCheckpoints;
    this.metadata = metadata;
    this.batchesPerEpoch = batchesPerEpoch;
  }

  /**
   * Trains epochs {@code startEpoch + 1 .. training.epochs}.
   *
   * @param skipRounds rounds of the first epoch the network already contains (in-epoch resume)
   */
  Position run(int startEpoch, int skipRounds, Position at) throws IOException {
    return run(startEpoch, skipRounds, at, null);
  }

  /**
   * Trains epochs {@code startEpoch + 1 .. training.epochs}, or fewer when early stopping stops.
   *
   * @param resumedRow the metrics row of epoch {@code startEpoch} when resuming (early stopping's
   *     state is restored from it), else null
   */
  Position run(int startEpoch, int skipRounds, Position at, Map<?, ?> resumedRow)
      throws IOException {
    var training = config.training();
    MultiLayerNetwork net = engine.network();
    EarlyStoppingConfig esConfig = training.earlyStopping();
    EarlyStopping stopping =
        esConfig.enabled() ? EarlyStopping.restore(esConfig, resumedRow) : null;
    BestWeights best = new BestWeights(esConfig.restoreBest() ? stopping : null);
    PlateauConfig plateauConfig = training.plateau();
    Plateau plateau =
        plateauConfig.enabled()
            ? Plateau.restore(plateauConfig, config.model().updater().learningRate(), resumedRow)
            : null;
    if (plateau != null && !plateauRateIn(net, plateau.learningRate())) {
      // a retrain continuing a champion whose own plateau lowered its rate starts again here
      net.setLearningRate(plateau.learningRate());
    }
    if (stopping != null && startEpoch > 0) {
      best.resume(startEpoch, net, store);
      if (stopping.stoppedBefore()) {
        LOG.info(
            "Early stopping had stopped this run after epoch {}: nothing left to train",
            startEpoch);
        progress.earlyStopping = stopping.outcome(startEpoch, esConfig.restoreBest());
        return at;
      }
    }
    BackgroundCheckpoints checkpoints = new BackgroundCheckpoints(store);
    try {
      Position end =
          epochs(startEpoch, skipRounds, at, net, stopping, best, plateau, esConfig, checkpoints);
      // the run's last checkpoint is durable (or its failure surfaces) before the run ends
      checkpoints.await().ifPresent(info -> progress.checkpoint = info.uri());
      return end;
    } finally {
      checkpoints.close();
    }
  }

  private Position epochs(
      int startEpoch,
      int skipRounds,
      Position at,
      MultiLayerNetwork net,
      EarlyStopping stopping,
      BestWeights best,
      Plateau plateau,
      EarlyStoppingConfig esConfig,
      BackgroundCheckpoints checkpoints)
      throws IOException {
    var training = config.training();
    int epochs = training.epochs();
    PlateauConfig plateauConfig = training.plateau();
    long iterations = at.iterations();
    String parent = at.parent();
    for (int epoch = startEpoch + 1; epoch <= epochs; epoch++) {
      long t0 = System.nanoTime();
      double checkpointSeconds = 0;
      if (config.checkpoint().everyNRounds() > 0) {
        // checkpoints within the epoch go through the store directly: one writer at a time
        long c0 = System.nanoTime();
        checkpoints.await().ifPresent(info -> progress.checkpoint = info.uri());
        checkpointSeconds += (System.nanoTime() - c0) / 1e9;
      }
      net.getLayerWiseConfigurations().setEpochCount(epoch - 1);
      String label = String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs);
      int skip = epoch == startEpoch + 1 ? skipRounds : 0;
      roundCheckpoints.beginEpoch(epoch - 1, iterations, parent);
      EpochFit fit;
      try (SparkPhase p =
          SparkPhase.start(sc, "epoch-" + epoch + "-fit", label + ": parameter-averaged fit")) {
        fit = engine.fitEpoch(epoch, skip, p.groupId(), label);
      }
      logRounds(label, fit);
      // the run's first epoch carries warm-up: advise once, on its second (or only) one
      if (epoch == Math.min(epochs, startEpoch + 2)) {
        AveragingAdvisor.advise(fit, training.averagingFrequency())
            .ifPresent(m -> LOG.warn("{}: {}", label, m));
      }
      // As DL4J's own fit(iterator) does: the network's epoch count is the epochs completed,
      // saved with model.zip (epoch-based schedules read it).
      net.getLayerWiseConfigurations().setEpochCount(epoch);
      parent = roundCheckpoints.parent();
      iterations += batchesPerEpoch;
      double fitSeconds = (System.nanoTime() - t0) / 1e9;

      // Per-epoch evaluation (curves, keep-best, the checkpoint's metrics) uses the validation
      // split when there is one, and the test split is scored after the last epoch only: model
      // selection never looks at the test data.
      Map<String, Double> test = Map.of();
      Map<String, Double> validation = Map.of();
      // early stopping needs the validation metrics of every epoch
      boolean evaluateNow =
          training.evaluateEveryEpoch() || epoch == epochs || stopping != null || plateau != null;
      long e0 = System.nanoTime();
      if (evaluateNow && data.validationBatches().isPresent()) {
        validation = evaluate(net, epoch, label, "validation", data.validationBatches().get());
        progress.validationMetrics = validation;
      }
      Double trainedRate = plateau == null ? null : plateau.learningRate();
      if (plateau != null && plateau.update(validation)) {
        // the same rate on every worker: it is in the network configuration the engines ship
        net.setLearningRate(plateau.learningRate());
        LOG.info(
            "{}: validation {} on a plateau: learning rate {} -> {}",
            label,
            plateauConfig.metric(),
            trainedRate,
            plateau.learningRate());
      }
      Map<String, Object> plateauState = plateau == null ? null : plateau.state();
      boolean stop = stopping != null && stopping.update(epoch, validation);
      boolean last = epoch == epochs || stop;
      if (stopping != null) {
        best.afterEpoch(epoch, net, validation);
        if (stop) {
          LOG.info("{}: early stopping: {}", label, stopping.stopReason());
        }
        if (last) {
          best.restoreInto(net, epoch, label).ifPresent(m -> progress.validationMetrics = m);
          progress.earlyStopping = stopping.outcome(stop ? epoch : 0, best.restored());
        }
      }
      if (evaluateNow && (data.validationBatches().isEmpty() || last)) {
        test = evaluate(net, epoch, label, "test", data.testBatches());
        progress.testMetrics = test;
      }
      double evalSeconds = (System.nanoTime() - e0) / 1e9;
      Map<String, Double> selection = data.validationBatches().isPresent() ? validation : test;

      boolean checkpointNow = epoch % config.checkpoint().everyNEpochs() == 0 || last;
      String ckName = checkpointNow ? CheckpointStore.checkpointName(epoch) : null;
      double perSecond = progress.trainExamples / fitSeconds;
      Map<String, Double> tested = test;
      Map<String, Double> validated = validation;
      Map<String, Object> stoppingState = stopping == null ? null : stopping.state();
      long fitted = iterations;
      int thisEpoch = epoch;
      // the row as of now: before the checkpoint (for its manifest), then after it (the file's)
      Function<String, EpochMetrics> rowFor =
          name ->
              row(
                  thisEpoch,
                  fit,
                  tested,
                  fitSeconds,
                  evalSeconds,
                  t0,
                  perSecond,
                  fitted,
                  name,
                  validated,
                  stoppingState,
                  trainedRate,
                  plateauState);
      EpochMetrics row = rowFor.apply(ckName);
      if (checkpointNow) {
        long c0 = System.nanoTime();
        try (SparkPhase p =
            SparkPhase.start(sc, "epoch-" + epoch + "-checkpoint", label + ": checkpoint")) {
          // The epoch's metrics row goes into the manifest too: a crash after the checkpoint is
          // published and before the row is appended to metrics.jsonl loses nothing. The copy of
          // the network is written while the next epoch fits; the previous epoch's write ends
          // first (its failure surfaces here), so LATEST moves forward one epoch at a time.
          Optional<CheckpointInfo> previous = checkpoints.await();
          previous.ifPresent(info -> progress.checkpoint = info.uri());
          ckName =
              checkpoints.submit(
                  net,
                  metadata.afterEpoch(epoch, iterations, parent, selection, asPlainMap(row)),
                  data.dataFiles());
          parent = ckName;
        }
        checkpointSeconds += (System.nanoTime() - c0) / 1e9;
      }
      double epochSeconds = (System.nanoTime() - t0) / 1e9;
      double checkpointTime = checkpointSeconds;
      records.append(rowFor.apply(ckName).withCheckpointSeconds(checkpointTime));
      progress.epochSeconds.add(epochSeconds);
      progress.epochsCompleted = epoch;
      LOG.info(
          String.format(
              Locale.ROOT,
              "%s  loss %.4f  %s  %.1f s  %.0f examples/s%s",
              label,
              fit.trainLoss(),
              validation.isEmpty()
                  ? TrainJob.headline(test)
                  : TrainJob.headline("validation", validation),
              epochSeconds,
              perSecond,
              ckName == null ? "" : "  checkpoint " + ckName));
      if (stop) {
        break;
      }
    }
    return new Position(iterations, parent);
  }

  private static EpochMetrics row(
      int epoch,
      EpochFit fit,
      Map<String, Double> test,
      double fitSeconds,
      double evalSeconds,
      long t0,
      double perSecond,
      long iterations,
      String ckName,
      Map<String, Double> validation,
      Map<String, Object> earlyStopping,
      Double learningRate,
      Map<String, Object> plateau) {
    return new EpochMetrics(
        epoch,
        fit.trainLoss(),
        test,
        fitSeconds,
        evalSeconds,
        (System.nanoTime() - t0) / 1e9,
        perSecond,
        iterations,
        ckName,
        validation,
        EpochMetrics.RoundStats.of(fit),
        earlyStopping,
        learningRate,
        plateau,
        0,
        EpochMetrics.totalSeconds(fit.fitMillis()),
        EpochMetrics.totalSeconds(fit.averageMillis()));
  }

  /** Whether every layer with an updater trains at {@code rate} already. */
  private static boolean plateauRateIn(MultiLayerNetwork net, double rate) {
    for (int i = 0; i < net.getnLayers(); i++) {
      if (net.getLayer(i).numParams() > 0) {
        Double lr = net.getLearningRate(i);
        if (lr == null || Math.abs(lr - rate) > 1e-12 * Math.max(1, rate)) {
          return false;
        }
      }
    }
    return true;
  }

  /** Metrics of the network on one split, with a warning for NaN or infinite outputs. */
  private Map<String, Double> evaluate(
      MultiLayerNetwork net, int epoch, String label, String split, JavaRDD<DataSet> batches) {
    // job groups epoch-N-eval (test) and epoch-N-eval-validation, one per phase in the Spark UI
    String group = "epoch-" + epoch + "-eval" + (split.equals("test") ? "" : "-" + split);
    try (SparkPhase p =
        SparkPhase.start(sc, group, label + ": evaluate on the " + split + " split")) {
      EvaluationResult result =
          DistributedEvaluator.evaluate(
              sc, net, batches, config.model(), config.data().numClasses());
      if (result.nonFiniteOutputs() > 0) {
        LOG.warn(
            "{}: {} of {} {} examples have NaN or infinite outputs; they are counted in"
                + " non_finite_outputs and not scored",
            label,
            result.nonFiniteOutputs(),
            result.examples(),
            split);
      }
      return result.summary();
    }
  }

  /**
   * Logs the epoch's round timings when the engine measured them (barrier): the numbers behind the
   * averaging overhead.
   */
  private static void logRounds(String label, EpochFit fit) {
    if (fit.averageMillis().isEmpty()) {
      return;
    }
    LOG.info(
        String.format(
            Locale.ROOT,
            "%s: %d rounds in %d stage(s); per round fit %.1f ms, averaging %.2f ms median"
                + " (p95 %.2f ms)",
            label,
            fit.rounds(),
            fit.stages(),
            EpochFit.median(fit.fitMillis()),
            EpochFit.median(fit.averageMillis()),
            EpochFit.quantile(fit.averageMillis(), 0.95)));
  }

  /**
   * A metrics row as plain Java maps and lists, as metrics.jsonl has it (Json.MAPPER's Scala
   * module, on the classpath with Spark, would turn nested objects into Scala maps).
   */
  private static Map<?, ?> asPlainMap(EpochMetrics row) {
    try {
      return PLAIN_JSON.readValue(Json.line(row), Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot convert the metrics row of epoch " + row.epoch(), e);
    }
  }
}
