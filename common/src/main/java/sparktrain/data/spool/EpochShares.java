package sparktrain.data.spool;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import sparktrain.train.Shuffle;

/**
 * Deals one epoch's examples to the workers. The blocks are put in an order drawn from (seed,
 * epoch) (their written order when the spool is not shuffled), read as one sequence, and cut into
 * {@code workers} contiguous shares of equal size (to one example): every example is in exactly one
 * share, and every worker gets the same number of minibatches (to one).
 */
public final class EpochShares {
  private final SpoolIndex index;
  private final int workers;

  /** A part of one block: examples {@code [from, to)} of block {@code block}. */
  record Segment(BlockRef block, int from, int to) {
    int count() {
      return to - from;
    }
  }

  public EpochShares(SpoolIndex index, int workers) {
    this.index = index;
    this.workers = workers;
  }

  /** The number of examples of worker {@code rank}'s share (the same every epoch). */
  public long examples(int rank) {
    return start(rank + 1) - start(rank);
  }

  /** Minibatches of {@code batchSize} per worker, by rank. */
  public int[] batchesPerWorker(int batchSize) {
    int[] batches = new int[workers];
    for (int r = 0; r < workers; r++) {
      batches[r] = (int) ((examples(r) + batchSize - 1) / batchSize);
    }
    return batches;
  }

  private long start(int rank) {
    return index.examples() * rank / workers;
  }

  /** The block order of {@code epoch}: a seeded permutation, or the written order. */
  List<BlockRef> blockOrder(long seed, int epoch, boolean shuffle) {
    List<BlockRef> order = new ArrayList<>(index.blocks());
    if (shuffle) {
      SplittableRandom random = new SplittableRandom(Shuffle.mix(seed, epoch));
      for (int i = order.size() - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        BlockRef t = order.get(i);
        order.set(i, order.get(j));
        order.set(j, t);
      }
    }
    return order;
  }

  /** Worker {@code rank}'s share of {@code epoch}, as parts of blocks in reading order. */
  List<Segment> share(int rank, long seed, int epoch, boolean shuffle) {
    long lo = start(rank);
    long hi = start(rank + 1);
    List<Segment> segments = new ArrayList<>();
    long at = 0;
    for (BlockRef b : blockOrder(seed, epoch, shuffle)) {
      long end = at + b.count();
      if (end > lo && at < hi) {
        segments.add(new Segment(b, (int) (Math.max(lo, at) - at), (int) (Math.min(hi, end) - at)));
      }
      if (end >= hi) {
        break;
      }
      at = end;
    }
    return segments;
  }
}
