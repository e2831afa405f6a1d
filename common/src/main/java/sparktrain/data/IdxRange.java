package sparktrain.data;

import java.io.Serializable;

/** A contiguous range of records {@code [start, end)} of an IDX file pair: one partition. */
final class IdxRange implements Serializable {
  private static final long serialVersionUID = 1L;

  final int partition;
  final long start;
  final long end;

  IdxRange(int partition, long start, long end) {
    this.partition = partition;
    this.start = start;
    this.end = end;
  }

  @Override
  public String toString() {
    return "IdxRange{partition=" + partition + ", records [" + start + ", " + end + ")}";
  }
}
