/**
 * The streamed training data path: training examples written once per run in compact blocks to a
 * directory of the Hadoop file system (the <em>spool</em>), then read back every epoch by each
 * barrier task, a block at a time, in a (seed, epoch)-dependent order through a bounded shuffle
 * buffer. A worker's heap holds its shuffle buffer and a few blocks, whatever the data's size.
 *
 * <ul>
 *   <li>{@link sparktrain.data.spool.Spool} writes the spool (one Spark job; a seeded full shuffle
 *       of the examples first, so that a file sorted by label gives blocks of mixed labels) and
 *       reuses a complete one written for the same input and settings (a resumed run).
 *   <li>{@link sparktrain.data.spool.SpoolIndex} lists its blocks; written last, it marks the spool
 *       complete.
 *   <li>{@link sparktrain.data.spool.EpochShares} deals an epoch's examples to the workers: the
 *       blocks in an order drawn from (seed, epoch), cut into equal contiguous shares.
 *   <li>{@link sparktrain.data.spool.SpoolStream} streams one worker's share as minibatches.
 * </ul>
 */
package sparktrain.data.spool;
