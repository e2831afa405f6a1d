package sparktrain.config;

import java.time.Duration;

/**
 * The {@code training} section. {@code workers} 0 means Spark's default parallelism; {@code
 * prefetch} 0 means no asynchronous prefetch.
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
    Duration progressInterval) {}
