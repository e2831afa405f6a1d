/**
 * The {@code barrier} training engine: one Spark barrier stage per epoch (or per checkpoint
 * interval), one task per worker. Each task builds its network once from one broadcast, keeps its
 * partition's examples in executor memory, fits {@code averaging-frequency} minibatches and
 * averages parameters and updater state with the other tasks through {@link
 * sparktrain.train.collective.Allreduce} (TCP ring between executors, shared memory within one
 * JVM), never through Spark's scheduler. Task 0 returns the averaged state to the driver.
 */
package sparktrain.train.barrier;
