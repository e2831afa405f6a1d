package sparktrain.config;

import java.time.Duration;

/**
 * The {@code training} section. {@code workers} 0 means Spark's default parallelism; {@code
 * prefetch} 0 means no asynchronous prefetch. {@code prefetch}, {@code rddApproach}, {@code
 * repartition} and {@code aggregationDepth} apply to the {@code dl4j} engine only; {@code
 * collectiveTimeout}, {@code dataPath}, {@code shuffleBuffer}, {@code spoolDir} and {@code
 * ringSecurity} to the {@code barrier} engine only ({@code spoolDir} empty: {@code data-cache/} in
 * the run directory). {@code earlyStopping} watches the validation split, on both engines, as does
 * {@code plateau}. {@code warmUp}: whether the training JVMs are warmed up before the first epoch
 * (see {@link WarmUp}); {@code jit}: how the executors that train compile (see {@link JitMode}).
 */
public record TrainingConfig(
    int epochs,
    int batchSizePerWorker,
    int averagingFrequency,
    int workers,
    int prefetch,
    RddApproach rddApproach,
    RepartitionPolicy repartition,
    int aggregationDepth,
    long seed,
    boolean shuffle,
    boolean evaluateEveryEpoch,
    Duration progressInterval,
    TrainingEngineKind engine,
    Duration collectiveTimeout,
    DataPath dataPath,
    ShuffleBufferSize shuffleBuffer,
    String spoolDir,
    RingSecurity ringSecurity,
    EarlyStoppingConfig earlyStopping,
    PlateauConfig plateau,
    ClassWeightsConfig classWeights,
    WarmUp warmUp,
    JitMode jit) {

  /** The settings before {@code training.jit} existed, with it {@code auto}. */
  public TrainingConfig(
      int epochs,
      int batchSizePerWorker,
      int averagingFrequency,
      int workers,
      int prefetch,
      RddApproach rddApproach,
      RepartitionPolicy repartition,
      int aggregationDepth,
      long seed,
      boolean shuffle,
      boolean evaluateEveryEpoch,
      Duration progressInterval,
      TrainingEngineKind engine,
      Duration collectiveTimeout,
      DataPath dataPath,
      ShuffleBufferSize shuffleBuffer,
      String spoolDir,
      RingSecurity ringSecurity,
      EarlyStoppingConfig earlyStopping,
      PlateauConfig plateau,
      ClassWeightsConfig classWeights,
      WarmUp warmUp) {
    this(
        epochs,
        batchSizePerWorker,
        averagingFrequency,
        workers,
        prefetch,
        rddApproach,
        repartition,
        aggregationDepth,
        seed,
        shuffle,
        evaluateEveryEpoch,
        progressInterval,
        engine,
        collectiveTimeout,
        dataPath,
        shuffleBuffer,
        spoolDir,
        ringSecurity,
        earlyStopping,
        plateau,
        classWeights,
        warmUp,
        JitMode.AUTO);
  }

  /** The settings before {@code training.warm-up} existed, with it {@code auto}. */
  public TrainingConfig(
      int epochs,
      int batchSizePerWorker,
      int averagingFrequency,
      int workers,
      int prefetch,
      RddApproach rddApproach,
      RepartitionPolicy repartition,
      int aggregationDepth,
      long seed,
      boolean shuffle,
      boolean evaluateEveryEpoch,
      Duration progressInterval,
      TrainingEngineKind engine,
      Duration collectiveTimeout,
      DataPath dataPath,
      ShuffleBufferSize shuffleBuffer,
      String spoolDir,
      RingSecurity ringSecurity,
      EarlyStoppingConfig earlyStopping,
      PlateauConfig plateau,
      ClassWeightsConfig classWeights) {
    this(
        epochs,
        batchSizePerWorker,
        averagingFrequency,
        workers,
        prefetch,
        rddApproach,
        repartition,
        aggregationDepth,
        seed,
        shuffle,
        evaluateEveryEpoch,
        progressInterval,
        engine,
        collectiveTimeout,
        dataPath,
        shuffleBuffer,
        spoolDir,
        ringSecurity,
        earlyStopping,
        plateau,
        classWeights,
        WarmUp.AUTO);
  }

  /**
   * The settings before {@code training.data-path}, {@code training.ring-security}, {@code
   * training.early-stopping}, {@code training.plateau} and {@code training.class-weights} existed:
   * streamed data, the ring secured ({@code auto}), the Keras-like controls off.
   */
  public TrainingConfig(
      int epochs,
      int batchSizePerWorker,
      int averagingFrequency,
      int workers,
      int prefetch,
      RddApproach rddApproach,
      RepartitionPolicy repartition,
      int aggregationDepth,
      long seed,
      boolean shuffle,
      boolean evaluateEveryEpoch,
      Duration progressInterval,
      TrainingEngineKind engine,
      Duration collectiveTimeout) {
    this(
        epochs,
        batchSizePerWorker,
        averagingFrequency,
        workers,
        prefetch,
        rddApproach,
        repartition,
        aggregationDepth,
        seed,
        shuffle,
        evaluateEveryEpoch,
        progressInterval,
        engine,
        collectiveTimeout,
        DataPath.STREAM,
        ShuffleBufferSize.auto(),
        "",
        RingSecurity.AUTO,
        EarlyStoppingConfig.OFF,
        PlateauConfig.OFF,
        ClassWeightsConfig.NONE);
  }

  /** The settings before {@code training.engine} existed: DL4J's engine. */
  public TrainingConfig(
      int epochs,
      int batchSizePerWorker,
      int averagingFrequency,
      int workers,
      int prefetch,
      RddApproach rddApproach,
      RepartitionPolicy repartition,
      int aggregationDepth,
      long seed,
      boolean shuffle,
      boolean evaluateEveryEpoch,
      Duration progressInterval) {
    this(
        epochs,
        batchSizePerWorker,
        averagingFrequency,
        workers,
        prefetch,
        rddApproach,
        repartition,
        aggregationDepth,
        seed,
        shuffle,
        evaluateEveryEpoch,
        progressInterval,
        TrainingEngineKind.DL4J,
        Duration.ofMinutes(2));
  }
}
