package sparktrain.train.collective;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sets up the ring's two connections of one rank: it connects to the next rank (retrying while that
 * one refuses) and accepts the previous rank on its own server socket, at the same time under one
 * selector. Both ends check a handshake (magic, sender rank, group size, hash of the address list)
 * and the accepting end answers it, so {@link #connect} returns only once both neighbours are in
 * the same group. Connections from anyone else (wrong magic or rank) are dropped.
 */
final class RingConnector {
  static final int MAGIC = 0x53545231; // "STR1"
  static final int HELLO_BYTES = 20;
  static final byte ACK = 1;
  static final byte NACK = 2;

  /** Socket send and receive buffers (Linux caps them at net.core.wmem_max / rmem_max). */
  static final int SOCKET_BUFFER = 4 << 20;

  private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /** Attachment of the outgoing connection's key. */
  private static final Object OUT = new Object();

  private final ServerSocketChannel server;
  private final int rank;
  private final int size;
  private final Peer next;
  private final Peer prev;
  private final long hash;
  private final Limits limits;
  private final long timeoutNanos;
  private final Selector selector;
  private final List<SocketChannel> candidates = new ArrayList<>();
  private SocketChannel out;
  private SelectionKey outKey;
  private OutState outState = OutState.IDLE;
  private long retryAt;
  private Exception lastConnectError;
  private final ByteBuffer hello;
  private final ByteBuffer ack = ByteBuffer.allocate(1);
  private SocketChannel in;

  private enum OutState {
    IDLE,
    CONNECTING,
    HELLO,
    WAIT_ACK,
    DONE
  }

  private RingConnector(ServerSocketChannel server, List<String> addresses, int rank, Limits limits)
      throws IOException {
    this.server = server;
    this.rank = rank;
    this.size = addresses.size();
    int n = (rank + 1) % size;
    int p = (rank - 1 + size) % size;
    this.next = new Peer(n, addresses.get(n));
    this.prev = new Peer(p, addresses.get(p));
    this.hash = groupHash(addresses);
    this.limits = limits;
    this.timeoutNanos = limits.timeoutNanos();
    this.hello = hello(rank, size, hash);
    this.selector = Selector.open();
  }

  /** The connections of {@code rank} to its ring neighbours among {@code addresses}. */
  static RingLinks connect(
      ServerSocketChannel server, List<String> addresses, int rank, Limits limits) {
    RingConnector c;
    try {
      c = new RingConnector(server, addresses, rank, limits);
    } catch (IOException e) {
      throw new CollectiveException("rank " + rank + ": cannot open a selector: " + e, e);
    }
    boolean ok = false;
    try {
      c.run();
      RingLinks links = new RingLinks(rank, c.next, c.prev, c.out, c.in, limits);
      ok = true;
      return links;
    } catch (IOException e) {
      throw new CollectiveException(
          "rank " + rank + ": connecting the ring failed (" + c.next + ", " + c.prev + "): " + e,
          e);
    } finally {
      c.cleanUp(ok);
    }
  }

  private void run() throws IOException {
    server.configureBlocking(false);
    server.register(selector, SelectionKey.OP_ACCEPT, server);
    long deadline = System.nanoTime() + timeoutNanos;
    while (in == null || outState != OutState.DONE) {
      String stop = limits.stopReason();
      if (stop != null) {
        throw new CollectiveException("rank " + rank + ": " + stop + " while connecting the ring");
      }
      long now = System.nanoTime();
      if (now - deadline >= 0) {
        throw new CollectiveException(timeoutMessage());
      }
      if (outState == OutState.IDLE && now - retryAt >= 0) {
        startConnect();
      }
      long sliceMs = Math.max(1, Math.min(Limits.SLICE_MS, (deadline - now) / 1_000_000 + 1));
      selector.select(sliceMs);
      for (SelectionKey key : selector.selectedKeys()) {
        if (!key.isValid()) {
          continue;
        }
        Object att = key.attachment();
        if (att == server) {
          accept();
        } else if (att == OUT) {
          advanceOut(key);
        } else {
          readHello(key, (ByteBuffer) att);
        }
      }
      selector.selectedKeys().clear();
    }
  }

  private void startConnect() throws IOException {
    InetSocketAddress address = next.socketAddress();
    hello.rewind(); // a retry after a failed write of the hello sends all of it again
    out = SocketChannel.open();
    configure(out);
    out.configureBlocking(false);
    outKey = out.register(selector, SelectionKey.OP_CONNECT, OUT);
    try {
      if (out.connect(address)) {
        sendHello();
      } else {
        outState = OutState.CONNECTING;
      }
    } catch (IOException | UnresolvedAddressException e) {
      retryLater(e);
    }
  }

  private void retryLater(Exception e) {
    lastConnectError = e;
    RingLinks.closeQuietly(out);
    out = null;
    outKey = null;
    outState = OutState.IDLE;
    retryAt = System.nanoTime() + RETRY_NANOS;
  }

  private void advanceOut(SelectionKey key) throws IOException {
    if (outState == OutState.CONNECTING && key.isConnectable()) {
      try {
        out.finishConnect();
      } catch (IOException e) {
        retryLater(e);
        return;
      }
      sendHello();
    } else if (outState == OutState.HELLO && key.isWritable()) {
      sendHello();
    } else if (outState == OutState.WAIT_ACK && key.isReadable()) {
      int n;
      try {
        n = out.read(ack);
      } catch (IOException e) {
        n = -1;
      }
      if (n < 0) {
        throw new CollectiveException(
            "rank " + rank + ": " + next + " closed the connection during the handshake");
      }
      if (!ack.hasRemaining()) {
        if (ack.get(0) != ACK) {
          throw new CollectiveException(
              "rank " + rank + ": " + next + " rejected the handshake (not the same group)");
        }
        outKey.interestOps(0);
        outState = OutState.DONE;
      }
    }
  }

  private void sendHello() throws IOException {
    out.write(hello);
    if (hello.hasRemaining()) {
      outState = OutState.HELLO;
      outKey.interestOps(SelectionKey.OP_WRITE);
    } else {
      outState = OutState.WAIT_ACK;
      outKey.interestOps(SelectionKey.OP_READ);
    }
  }

  private void accept() throws IOException {
    SocketChannel c;
    while ((c = server.accept()) != null) {
      try {
        configure(c);
        c.configureBlocking(false);
        c.register(selector, SelectionKey.OP_READ, ByteBuffer.allocate(HELLO_BYTES));
        candidates.add(c);
      } catch (IOException e) {
        RingLinks.closeQuietly(c);
      }
    }
  }

  private void readHello(SelectionKey key, ByteBuffer buf) throws IOException {
    SocketChannel c = (SocketChannel) key.channel();
    int n;
    try {
      n = c.read(buf);
    } catch (IOException e) {
      n = -1;
    }
    if (n < 0) {
      drop(c);
      return;
    }
    if (buf.hasRemaining()) {
      return;
    }
    int magic = buf.getInt(0);
    int from = buf.getInt(4);
    int theirSize = buf.getInt(8);
    long theirHash = buf.getLong(12);
    if (magic != MAGIC || from != prev.rank() || in != null) {
      drop(c); // not our previous rank: a stray connection
      return;
    }
    if (theirSize != size || theirHash != hash) {
      c.write(ByteBuffer.wrap(new byte[] {NACK}));
      throw new CollectiveException(
          "rank "
              + rank
              + ": "
              + prev
              + " is in another group (size "
              + theirSize
              + " vs "
              + size
              + (theirHash != hash ? ", different address list" : "")
              + ")");
    }
    c.write(ByteBuffer.wrap(new byte[] {ACK}));
    key.interestOps(0);
    candidates.remove(c);
    in = c;
  }

  private void drop(SocketChannel c) {
    candidates.remove(c);
    RingLinks.closeQuietly(c);
  }

  private String timeoutMessage() {
    String t = Timeouts.text(timeoutNanos);
    List<String> what = new ArrayList<>();
    if (in == null) {
      what.add(prev + " did not connect within " + t);
    }
    switch (outState) {
      case IDLE, CONNECTING ->
          what.add(
              "cannot connect to "
                  + next
                  + " within "
                  + t
                  + (lastConnectError == null ? "" : " (" + lastConnectError + ")"));
      case HELLO, WAIT_ACK ->
          what.add(next + " took the connection but did not answer the handshake within " + t);
      case DONE -> {}
    }
    return "rank " + rank + ": " + String.join("; ", what);
  }

  private void cleanUp(boolean ok) {
    RingLinks.closeQuietly(selector); // deregisters every channel
    candidates.forEach(RingLinks::closeQuietly);
    if (!ok) {
      RingLinks.closeQuietly(out);
      RingLinks.closeQuietly(in);
    }
  }

  static void configure(SocketChannel c) throws IOException {
    c.setOption(StandardSocketOptions.TCP_NODELAY, true);
    c.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
    c.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
    c.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
  }

  private static ByteBuffer hello(int rank, int size, long hash) {
    ByteBuffer b = ByteBuffer.allocate(HELLO_BYTES);
    b.putInt(MAGIC).putInt(rank).putInt(size).putLong(hash).flip();
    return b;
  }

  /** FNV-1a of the address list: ranks of one group agree on it. */
  static long groupHash(List<String> addresses) {
    long h = 0xcbf29ce484222325L;
    for (byte b : String.join("\n", addresses).getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    return h;
  }
}
