package sparktrain.train.collective;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Ring allreduce (reduce-scatter then all-gather, 2(N-1) steps of ~S/N bytes) over TCP between
 * ranks.
 *
 * <p>The array is cut into {@code size} chunks of {@code floor} / {@code ceil(length / size)}
 * floats. In the reduce-scatter, at step {@code s}, rank {@code r} sends chunk {@code r - s} to
 * rank {@code r + 1} and adds chunk {@code r - s - 1} from rank {@code r - 1} into its own (mod
 * {@code size}); after {@code size - 1} steps it holds the sum of chunk {@code r + 1}, divides it
 * by {@code size} and, in the all-gather, that final chunk travels around the ring. Sums are in
 * float, in ring order, each chunk computed by one rank only, so every rank ends with the same
 * bits. Floats travel little-endian (a plain copy on x86 and ARM).
 *
 * <p>Each call starts with a 16-byte header to the next rank (magic, length, call number): a rank
 * whose previous rank calls with another length, or has made another number of calls, fails at
 * once, and its failure closes its connections, which fails the others within milliseconds.
 *
 * <p>With a {@link RingAuth}, every connection is mutually authenticated before any float is read
 * and every message travels in AES-GCM frames (see {@link RingLinks}).
 *
 * <p>Use: every rank calls {@link #listen}, publishes {@link Listener#address()} (e.g. through
 * {@code BarrierTaskContext.allGather}), then calls {@link Listener#connect} with all addresses.
 */
public final class RingAllreduce implements Allreduce {
  static final int HEADER_BYTES = 16;

  /** Largest frame of a sealed message, plain bytes (each gets a 16-byte tag on the wire). */
  public static final int SEALED_FRAME_BYTES = RingLinks.FRAME_BYTES;

  private static final int CALL_MAGIC = 0x53544d31; // "STM1"

  private final int rank;
  private final int size;
  private final RingLinks links; // null when size == 1
  private final Limits limits;
  private ByteBuffer sendBytes;
  private ByteBuffer recvBytes;
  private FloatBuffer sendFloats;
  private FloatBuffer recvFloats;
  private float[] scratch = new float[0];
  private long calls;
  private volatile boolean closed;
  private CollectiveException failure;

  private RingAllreduce(int rank, int size, RingLinks links, Limits limits) {
    this.rank = rank;
    this.size = size;
    this.links = links;
    this.limits = limits;
  }

  /**
   * Step 1 on every rank: bind a server socket (ephemeral port) on bindHost; cheap.
   *
   * <p>Pass the address the other ranks reach this one by, e.g. the executor's host ({@code
   * SparkEnv.get().blockManager().blockManagerId().host()}). For a wildcard ({@code 0.0.0.0}) the
   * published address is {@code InetAddress.getLocalHost()}, which some hosts resolve to a loopback
   * address ({@code 127.0.1.1} on Debian).
   */
  public static Listener listen(String bindHost) throws IOException {
    Objects.requireNonNull(bindHost, "bindHost");
    ServerSocketChannel server = ServerSocketChannel.open();
    try {
      // set before bind: accepted sockets inherit it, and a window above 64 KiB needs it early
      server.setOption(StandardSocketOptions.SO_RCVBUF, RingConnector.SOCKET_BUFFER);
      server.bind(new InetSocketAddress(bindHost, 0), 64);
      InetSocketAddress local = (InetSocketAddress) server.getLocalAddress();
      InetAddress ip = local.getAddress();
      String host =
          ip.isAnyLocalAddress()
              ? InetAddress.getLocalHost().getHostAddress()
              : ip.getHostAddress();
      return new Listener(server, HostPort.format(host, local.getPort()));
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** A bound server socket, waiting for {@link #connect}; single use. */
  public static final class Listener implements AutoCloseable {
    private final ServerSocketChannel server;
    private final String address;
    private boolean used;

    private Listener(ServerSocketChannel server, String address) {
      this.server = server;
      this.address = address;
    }

    /** "host:port" to publish to the other ranks (e.g. through BarrierTaskContext.allGather). */
    public String address() {
      return address;
    }

    /**
     * Step 2: with every rank's address (index = rank), connect to the ring neighbours and return
     * the group. timeout bounds connecting and every later blocking read/write of mean().
     *
     * <p>Returns once this rank's connections to both neighbours are up and both agreed on the
     * group (size and address list; with ring security, the stage key, ranks and size). Closes this
     * listener (also on failure).
     *
     * @throws CollectiveException when a neighbour does not connect or answer within timeout, or
     *     the thread is interrupted
     * @throws IllegalArgumentException on a bad rank, address or timeout
     */
    public RingAllreduce connect(List<String> addresses, int rank, Duration timeout) {
      return connect(addresses, rank, timeout, () -> false);
    }

    /**
     * {@link #connect(List, int, Duration)} that also stops, within 100 ms, when {@code cancelled}
     * turns true, in connect and in every later mean(): pass {@code
     * TaskContext.get()::isInterrupted} in a Spark task (a killed barrier task's thread is not
     * interrupted unless the job sets {@code spark.job.interruptOnCancel}).
     */
    public RingAllreduce connect(
        List<String> addresses, int rank, Duration timeout, BooleanSupplier cancelled) {
      return connect(addresses, rank, timeout, cancelled, null);
    }

    /**
     * {@link #connect(List, int, Duration, BooleanSupplier)} with ring security: with {@code auth}
     * every connection is authenticated (a connection that fails is closed and the wait goes on for
     * the real neighbour) and every frame sealed with AES-GCM; {@code null}: neither.
     */
    public RingAllreduce connect(
        List<String> addresses,
        int rank,
        Duration timeout,
        BooleanSupplier cancelled,
        RingAuth auth) {
      Objects.requireNonNull(addresses, "addresses");
      Limits limits = Limits.of(timeout, cancelled);
      if (addresses.isEmpty() || rank < 0 || rank >= addresses.size()) {
        throw new IllegalArgumentException(
            "rank " + rank + " out of range for " + addresses.size() + " addresses");
      }
      addresses.forEach(HostPort::parse); // fails early on a malformed address
      synchronized (this) {
        if (used) {
          throw new IllegalStateException("connect() was already called on this listener");
        }
        used = true;
      }
      try {
        if (addresses.size() == 1) {
          return new RingAllreduce(0, 1, null, limits);
        }
        RingLinks links = RingConnector.connect(server, List.copyOf(addresses), rank, limits, auth);
        return new RingAllreduce(rank, addresses.size(), links, limits);
      } finally {
        close();
      }
    }

    @Override
    public void close() {
      RingLinks.closeQuietly(server);
    }
  }

  @Override
  public int rank() {
    return rank;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public void mean(float[] data) {
    Objects.requireNonNull(data, "data");
    if (closed) {
      throw new CollectiveException("rank " + rank + ": mean() on a closed group");
    }
    if (failure != null) {
      throw new CollectiveException(
          "rank " + rank + ": the group failed earlier: " + failure.getMessage(), failure);
    }
    String stop = limits.stopReason();
    if (stop != null) {
      CollectiveException e = new CollectiveException("rank " + rank + ": " + stop + " in mean()");
      if (links != null) {
        links.close();
      }
      failure = e;
      throw e;
    }
    if (size == 1) {
      return;
    }
    boolean ok = false;
    try {
      ring(data);
      calls++;
      ok = true;
    } catch (CollectiveException e) {
      failure = e;
      throw e;
    } finally {
      if (!ok) { // whatever went wrong (an Error too): the peers must not wait for this rank
        links.close();
        if (failure == null) {
          failure = new CollectiveException("rank " + rank + ": mean() failed unexpectedly");
        }
      }
    }
  }

  private void ring(float[] data) {
    int n = data.length;
    long maxChunk = ((long) n + size - 1) / size;
    if (HEADER_BYTES + 4 * maxChunk > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "rank " + rank + ": " + n + " floats is too many for " + size + " ranks (2 GB chunks)");
    }
    ensureCapacity((int) maxChunk);
    for (int s = 0; s < size - 1; s++) {
      int sendChunk = mod(rank - s);
      int recvChunk = mod(rank - s - 1);
      step(data, sendChunk, recvChunk, s == 0);
      int off = start(recvChunk, n);
      int len = start(recvChunk + 1, n) - off;
      recvFloats.position(0).limit(len);
      recvFloats.get(scratch, 0, len);
      if (s < size - 2) {
        for (int j = 0; j < len; j++) {
          data[off + j] += scratch[j];
        }
      } else { // the last step completes the chunk this rank owns: its mean
        float div = size;
        for (int j = 0; j < len; j++) {
          data[off + j] = (data[off + j] + scratch[j]) / div;
        }
      }
    }
    for (int s = 0; s < size - 1; s++) {
      int recvChunk = mod(rank - s);
      step(data, mod(rank + 1 - s), recvChunk, false);
      int off = start(recvChunk, n);
      int len = start(recvChunk + 1, n) - off;
      recvFloats.position(0).limit(len);
      recvFloats.get(data, off, len);
    }
  }

  /** Sends chunk {@code sendChunk} of {@code data} and receives chunk {@code recvChunk}. */
  private void step(float[] data, int sendChunk, int recvChunk, boolean first) {
    int n = data.length;
    int sendOff = start(sendChunk, n);
    int sendLen = start(sendChunk + 1, n) - sendOff;
    int recvLen = start(recvChunk + 1, n) - start(recvChunk, n);
    sendFloats.clear();
    sendFloats.put(data, sendOff, sendLen);
    sendBytes.limit(HEADER_BYTES + 4 * sendLen).position(HEADER_BYTES);
    recvBytes.limit(HEADER_BYTES + 4 * recvLen).position(HEADER_BYTES);
    if (!first) {
      links.exchange(sendBytes, recvBytes, 0, null);
      return;
    }
    sendBytes.putInt(0, CALL_MAGIC).putInt(4, n).putLong(8, calls).position(0);
    recvBytes.position(0);
    links.exchange(sendBytes, recvBytes, HEADER_BYTES, () -> checkHeader(n));
  }

  private void checkHeader(int n) {
    int magic = recvBytes.getInt(0);
    int theirLength = recvBytes.getInt(4);
    long theirCalls = recvBytes.getLong(8);
    Peer prev = links.prev();
    if (magic != CALL_MAGIC) {
      throw links.fail("protocol error: bad header from " + prev, null);
    }
    if (theirLength != n) {
      throw links.fail(
          "length mismatch: this rank has "
              + n
              + " floats, "
              + prev
              + " has "
              + theirLength
              + " (call "
              + calls
              + ")",
          null);
    }
    if (theirCalls != calls) {
      throw links.fail(
          "call count mismatch: this is call "
              + calls
              + " on this rank, call "
              + theirCalls
              + " on "
              + prev,
          null);
    }
  }

  private void ensureCapacity(int maxChunk) {
    int bytes = HEADER_BYTES + 4 * maxChunk;
    if (sendBytes == null || sendBytes.capacity() < bytes) {
      // sealed: the plain bytes on the heap, where the JDK's AES-GCM is fastest (FrameCipher);
      // the sealed frames go through direct buffers to the sockets
      boolean heap = links.sealed();
      sendBytes = buffer(bytes, heap);
      recvBytes = buffer(bytes, heap);
      sendFloats = floats(sendBytes);
      recvFloats = floats(recvBytes);
    }
    if (scratch.length < maxChunk) {
      scratch = new float[maxChunk];
    }
  }

  private static ByteBuffer buffer(int bytes, boolean heap) {
    ByteBuffer b = heap ? ByteBuffer.allocate(bytes) : ByteBuffer.allocateDirect(bytes);
    return b.order(ByteOrder.LITTLE_ENDIAN);
  }

  private static FloatBuffer floats(ByteBuffer bytes) {
    bytes.position(HEADER_BYTES);
    FloatBuffer f = bytes.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    bytes.clear();
    return f;
  }

  /** First index of chunk {@code c} (0..size) of an array of {@code n}. */
  private int start(int c, int n) {
    return (int) ((long) c * n / size);
  }

  private int mod(int r) {
    return ((r % size) + size) % size;
  }

  /**
   * For benchmarks: from now on, this rank counts the CPU time it spends sealing and opening frames
   * ({@link #cryptoNanos}). Off by default: it reads the thread's CPU clock (about a microsecond)
   * twice a frame.
   */
  public void timeCrypto() {
    if (links != null) {
      links.timeCrypto();
    }
  }

  /**
   * CPU nanoseconds this rank has spent sealing and opening frames (AES-GCM) since {@link
   * #timeCrypto}; 0 untimed or with ring security off. What the ring's security costs apart from
   * the I/O.
   */
  public long cryptoNanos() {
    return links == null ? 0 : links.cryptoNanos();
  }

  /** The connections (tests); null when size is 1. */
  RingLinks links() {
    return links;
  }

  /** Test hook: this rank closes its connections and fails after sending {@code bytes} more. */
  void dieAfterSending(long bytes) {
    links.dieAfterBytes(bytes);
  }

  @Override
  public void close() {
    closed = true;
    if (links != null) {
      links.close();
    }
  }
}
