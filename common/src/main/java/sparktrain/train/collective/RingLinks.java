package sparktrain.train.collective;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import javax.crypto.AEADBadTagException;

/**
 * The two connections of one rank of a ring: it writes to the next rank and reads from the previous
 * one, both non-blocking under one selector, so that a step sends and receives at the same time
 * (blocking writes of chunks larger than the socket buffers would deadlock the ring).
 *
 * <p>Every wait is a selector slice of at most {@value Limits#SLICE_MS} ms, after which the stop
 * signals ({@link Limits#stopReason}), {@link #close} and the timeout are checked. The timeout is
 * one of progress: a direction that moves no byte for that long fails. While this rank still has
 * bytes to send, the connection to the next rank is also watched for reading: the next rank never
 * writes on it, so readability means it closed or reset, which fails this rank at once instead of
 * at the timeout. Once this rank's send is complete, the next rank may legitimately have finished
 * the call and closed its group (it has everything it needs from this rank), so its end-of-stream
 * is no longer an error: the bytes still coming from the previous rank are read to the end. Any
 * failure closes both connections, so the failure travels around the ring within milliseconds.
 *
 * <p>With ring security on, each message goes as frames of at most {@value #FRAME_BYTES} bytes (the
 * call header is a frame of its own), each sealed by the connection's {@link FrameCipher}: frames
 * are sealed just ahead of the socket and opened as soon as they are in, so the ciphers of both
 * ends run while the bytes travel, through a window of {@value #WINDOW_FRAMES} frames per direction
 * that stays in the core's cache between the cipher and the kernel's copy. A frame that fails its
 * check fails the call (and the group). Frame lengths are never sent: both ends know the message
 * length, and no more than the message's bytes are read.
 */
final class RingLinks implements AutoCloseable {
  private final int rank;
  private final Peer next;
  private final Peer prev;
  private final SocketChannel out;
  private final SocketChannel in;
  private final Selector selector;
  private final SelectionKey outKey;
  private final SelectionKey inKey;
  private final Limits limits;
  private final long timeoutNanos;
  private final ByteBuffer probe = ByteBuffer.allocate(16);
  private final FrameCipher sealer; // null: ring security off
  private final FrameCipher opener;
  private ByteBuffer wireOut;
  private ByteBuffer wireIn;
  private volatile boolean closed;

  /** Largest frame of a sealed message (plain bytes). */
  static final int FRAME_BYTES = 256 << 10;

  /** Frames each direction's window of sealed bytes holds. */
  static final int WINDOW_FRAMES = 4;

  /** Test hook: bytes this rank sends before it closes its connections and fails; -1: never. */
  private long dieAfterBytes = -1;

  private long sentBytes;

  RingLinks(
      int rank,
      Peer next,
      Peer prev,
      SocketChannel out,
      SocketChannel in,
      Limits limits,
      FrameCipher sealer,
      FrameCipher opener)
      throws IOException {
    if ((sealer == null) != (opener == null)) {
      throw new IllegalArgumentException("both connections are sealed or neither");
    }
    this.sealer = sealer;
    this.opener = opener;
    this.rank = rank;
    this.next = next;
    this.prev = prev;
    this.out = out;
    this.in = in;
    this.limits = limits;
    this.timeoutNanos = limits.timeoutNanos();
    out.configureBlocking(false);
    in.configureBlocking(false);
    selector = Selector.open();
    try {
      outKey = out.register(selector, 0);
      inKey = in.register(selector, 0);
    } catch (IOException | RuntimeException e) {
      selector.close();
      throw e;
    }
  }

  Peer next() {
    return next;
  }

  Peer prev() {
    return prev;
  }

  void dieAfterBytes(long bytes) {
    dieAfterBytes = bytes;
    sentBytes = 0;
  }

  /**
   * Writes {@code send} (position to limit) to the next rank while reading {@code recv} (position
   * to limit) from the previous one. With {@code header > 0} the first {@code header} bytes of
   * {@code recv} are read first and {@code onHeader} runs on them (it throws on a mismatch) before
   * the rest is read: the rest's length is only trusted once the header agreed.
   */
  void exchange(ByteBuffer send, ByteBuffer recv, int header, Runnable onHeader) {
    if (sealer != null) {
      sealedExchange(send, recv, header, onHeader);
      return;
    }
    int recvEnd = recv.limit();
    boolean headerPending = header > 0;
    if (headerPending) {
      recv.limit(recv.position() + header);
    }
    long lastSend = System.nanoTime();
    long lastRecv = lastSend;
    try {
      while (true) {
        boolean progress = false;
        if (send.hasRemaining() && write(send) > 0) {
          progress = true;
          lastSend = System.nanoTime();
        }
        if (recv.hasRemaining() && read(recv) > 0) {
          progress = true;
          lastRecv = System.nanoTime();
        }
        if (headerPending && !recv.hasRemaining()) {
          headerPending = false;
          onHeader.run();
          recv.limit(recvEnd);
          continue;
        }
        if (!send.hasRemaining() && !recv.hasRemaining()) {
          return;
        }
        if (!progress) {
          await(send.hasRemaining(), recv.hasRemaining(), lastSend, lastRecv);
        }
      }
    } catch (CollectiveException e) {
      close();
      throw e;
    } catch (IOException | RuntimeException e) {
      throw fail(closed ? "closed while in mean()" : "mean() failed: " + e, e);
    }
  }

  /** Whether frames are sealed (ring security on). */
  boolean sealed() {
    return sealer != null;
  }

  /** Starts counting the CPU time of sealing and opening (see {@link #cryptoNanos}). */
  void timeCrypto() {
    if (sealer != null) {
      sealer.time();
      opener.time();
    }
  }

  /** CPU nanoseconds spent sealing and opening frames since {@link #timeCrypto}; 0 unsealed. */
  long cryptoNanos() {
    return sealer == null ? 0 : sealer.nanos() + opener.nanos();
  }

  /**
   * {@link #exchange} in sealed frames, through two windows of {@value #WINDOW_FRAMES} frames
   * (direct buffers small enough to stay in the core's cache): a frame is sealed into the out
   * window just ahead of the socket, and each frame read into the in window is opened as soon as it
   * is complete.
   */
  private void sealedExchange(ByteBuffer send, ByteBuffer recv, int header, Runnable onHeader) {
    int sendFrom = send.position();
    int sendLen = send.remaining();
    int recvFrom = recv.position();
    int recvLen = recv.remaining();
    int window = WINDOW_FRAMES * (FRAME_BYTES + FrameCipher.TAG_BYTES);
    wireOut = capacity(wireOut, window);
    wireIn = capacity(wireIn, window);
    wireOut.clear().limit(0); // [position, limit): sealed, not yet written
    wireIn.clear(); // [0, openedAt): opened; [openedAt, position): read, not yet opened
    long wireLeft = wireBytes(recvLen, header); // of this message, not yet read
    int openedAt = 0;
    int sealed = 0; // plain bytes of send sealed so far
    int opened = 0; // plain bytes of recv opened so far
    boolean blocked = false; // the last write took nothing: seal ahead meanwhile
    long lastSend = System.nanoTime();
    long lastRecv = lastSend;
    try {
      while (true) {
        boolean progress = false;
        if (sealed < sendLen && (!wireOut.hasRemaining() || blocked)) {
          if (!wireOut.hasRemaining()) {
            wireOut.clear().limit(0); // all written: the window starts over
          }
          int len = frameLength(sealed, sendLen, header);
          int limit = wireOut.limit();
          if (wireOut.capacity() - limit >= len + FrameCipher.TAG_BYTES) {
            ByteBuffer plain = send.duplicate();
            plain.limit(sendFrom + sealed + len).position(sendFrom + sealed);
            ByteBuffer dst = wireOut.duplicate();
            dst.limit(limit + len + FrameCipher.TAG_BYTES).position(limit);
            sealer.seal(plain, dst);
            wireOut.limit(limit + len + FrameCipher.TAG_BYTES);
            sealed += len;
            progress = true;
          }
        }
        if (wireOut.hasRemaining()) {
          int n = write(wireOut);
          blocked = n == 0;
          if (n > 0) {
            progress = true;
            lastSend = System.nanoTime();
          }
        }
        if (wireLeft > 0) {
          wireIn.limit((int) Math.min(wireIn.capacity(), wireIn.position() + wireLeft));
          if (wireIn.hasRemaining()) {
            int n = read(wireIn);
            if (n > 0) {
              wireLeft -= n;
              progress = true;
              lastRecv = System.nanoTime();
            }
          }
        }
        while (opened < recvLen) {
          int len = frameLength(opened, recvLen, header);
          int frameEnd = openedAt + len + FrameCipher.TAG_BYTES;
          if (wireIn.position() < frameEnd) {
            if (frameEnd > wireIn.capacity()) { // the frame does not fit behind the last one
              wireIn.limit(wireIn.position()).position(openedAt);
              wireIn.compact(); // its first bytes to the window's start
              openedAt = 0;
            }
            break;
          }
          ByteBuffer frame = wireIn.duplicate();
          frame.limit(frameEnd).position(openedAt);
          ByteBuffer plain = recv.duplicate();
          plain.limit(recvFrom + opened + len).position(recvFrom + opened);
          try {
            opener.open(frame, plain);
          } catch (AEADBadTagException e) {
            throw fail(
                "frame "
                    + (opener.frames())
                    + " from "
                    + prev
                    + " failed its integrity check: changed, replayed, reordered or forged on"
                    + " the way; the data is not used",
                e);
          }
          opened += len;
          openedAt = frameEnd;
          progress = true;
          if (openedAt == wireIn.position()) { // all read bytes opened: the window starts over
            wireIn.clear();
            openedAt = 0;
          }
          if (opened == header) {
            onHeader.run();
          }
        }
        if (sealed == sendLen && !wireOut.hasRemaining() && opened == recvLen) {
          recv.position(recv.limit());
          send.position(send.limit());
          return;
        }
        if (!progress) {
          await(
              wireOut.hasRemaining() || sealed < sendLen,
              wireLeft > 0 || opened < recvLen,
              lastSend,
              lastRecv);
        }
      }
    } catch (CollectiveException e) {
      close();
      throw e;
    } catch (IOException | RuntimeException e) {
      throw fail(closed ? "closed while in mean()" : "mean() failed: " + e, e);
    }
  }

  /** Plain bytes of the frame that starts at {@code offset} of a message of {@code length}. */
  private static int frameLength(int offset, int length, int header) {
    return offset < header ? header - offset : Math.min(FRAME_BYTES, length - offset);
  }

  /** Bytes on the wire of a sealed message of {@code length} plain bytes. */
  static int wireBytes(int length, int header) {
    int frames = 0;
    for (int offset = 0; offset < length; offset += frameLength(offset, length, header)) {
      frames++;
    }
    return length + frames * FrameCipher.TAG_BYTES;
  }

  private static ByteBuffer capacity(ByteBuffer b, int bytes) {
    return b != null && b.capacity() >= bytes ? b : ByteBuffer.allocateDirect(bytes);
  }

  private int read(ByteBuffer recv) {
    int n;
    try {
      n = in.read(recv);
    } catch (IOException e) {
      throw fail(closed ? "closed while in mean()" : "receiving from " + prev + " failed: " + e, e);
    }
    if (n < 0) {
      throw fail(prev + " closed the connection", null);
    }
    return n;
  }

  private int write(ByteBuffer send) {
    try {
      return dieAfterBytes < 0 ? out.write(send) : writeThenDie(send);
    } catch (IOException e) {
      throw fail(closed ? "closed while in mean()" : "sending to " + next + " failed: " + e, e);
    }
  }

  private int writeThenDie(ByteBuffer send) throws IOException {
    long room = dieAfterBytes - sentBytes;
    if (room <= 0) {
      throw fail("test hook: died after sending " + sentBytes + " bytes", null);
    }
    int limit = send.limit();
    if (send.remaining() > room) {
      send.limit(send.position() + (int) room);
    }
    try {
      int n = out.write(send);
      sentBytes += n;
      return n;
    } finally {
      send.limit(limit);
    }
  }

  /** One selector slice of waiting, after the stop, close and timeout checks. */
  private void await(boolean sending, boolean receiving, long lastSend, long lastRecv)
      throws IOException {
    String stop = limits.stopReason();
    if (stop != null) {
      throw fail(stop + " in mean()", null);
    }
    if (closed) {
      throw fail("closed while in mean()", null);
    }
    long now = System.nanoTime();
    if (receiving && now - lastRecv >= timeoutNanos) {
      throw fail("no data from " + prev + " for " + Timeouts.text(timeoutNanos), null);
    }
    if (sending && now - lastSend >= timeoutNanos) {
      throw fail(next + " has not read data for " + Timeouts.text(timeoutNanos), null);
    }
    long oldest =
        receiving && sending ? Math.min(lastRecv, lastSend) : receiving ? lastRecv : lastSend;
    long left = timeoutNanos - (now - oldest);
    long sliceMs = Math.max(1, Math.min(Limits.SLICE_MS, TimeUnit.NANOSECONDS.toMillis(left) + 1));
    // Watch the next rank for a close only while it still needs bytes from this one: once they are
    // all sent, it may finish the call and close its group while this rank still reads the last
    // chunk from its previous rank (with 2 ranks, the same process).
    int outOps = sending ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : 0;
    if (outKey.interestOps() != outOps) {
      outKey.interestOps(outOps);
    }
    int inOps = receiving ? SelectionKey.OP_READ : 0;
    if (inKey.interestOps() != inOps) {
      inKey.interestOps(inOps);
    }
    selector.select(sliceMs);
    if (selector.selectedKeys().remove(outKey) && sending && outKey.isReadable()) {
      checkNextAlive();
    }
    selector.selectedKeys().clear();
  }

  /** The next rank never writes to this one: readable means it closed (or reset) its end. */
  private void checkNextAlive() {
    probe.clear();
    int n;
    try {
      n = out.read(probe);
    } catch (IOException e) {
      throw fail(next + " closed the connection (" + e.getMessage() + ")", e);
    }
    if (n < 0) {
      throw fail(next + " closed the connection", null);
    }
    if (n > 0) {
      throw fail("protocol error: unexpected data from " + next, null);
    }
  }

  /** Closes both connections (the neighbours notice at once) and returns the exception to throw. */
  CollectiveException fail(String what, Throwable cause) {
    close();
    return new CollectiveException("rank " + rank + ": " + what, cause);
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(selector);
    closeQuietly(out);
    closeQuietly(in);
  }

  static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      // closing is best effort; the peers notice either way
    }
  }
}
