package sparktrain.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import sparktrain.train.collective.Allreduce;

/**
 * The raw TCP baseline of {@link AllreduceBenchmark}: the same ranks in the same ring over
 * 127.0.0.1 with the same socket options as the ring, where each "mean" only moves the bytes a ring
 * allreduce moves (2(n-1) chunks of ceil(length / n) floats to the next rank, as many from the
 * previous one, both at once, in one stream: no steps, no sums, no headers, no ciphers). What the
 * machine's loopback carries for this pattern; the data is left as it is.
 */
final class RawTcpRing implements Allreduce {
  private static final int BUFFER = 4 << 20;

  private final int rank;
  private final int size;
  private final SocketChannel out;
  private final SocketChannel in;
  private final Selector selector;
  private ByteBuffer sendBuf = ByteBuffer.allocateDirect(0);
  private ByteBuffer recvBuf = ByteBuffer.allocateDirect(0);

  private RawTcpRing(int rank, int size, SocketChannel out, SocketChannel in) throws IOException {
    this.rank = rank;
    this.size = size;
    this.out = out;
    this.in = in;
    out.configureBlocking(false);
    in.configureBlocking(false);
    selector = Selector.open();
  }

  /** Ranks 0..n-1 connected in a ring over 127.0.0.1. */
  static List<Allreduce> connect(int n) throws IOException {
    List<ServerSocketChannel> servers = new ArrayList<>();
    List<Allreduce> ranks = new ArrayList<>();
    try {
      for (int r = 0; r < n; r++) {
        ServerSocketChannel s = ServerSocketChannel.open();
        s.setOption(StandardSocketOptions.SO_RCVBUF, BUFFER);
        s.bind(new InetSocketAddress("127.0.0.1", 0), 4);
        servers.add(s);
      }
      SocketChannel[] outs = new SocketChannel[n];
      SocketChannel[] ins = new SocketChannel[n];
      for (int r = 0; r < n; r++) {
        int next = (r + 1) % n;
        outs[r] = configure(SocketChannel.open(servers.get(next).getLocalAddress()));
        ins[next] = configure(servers.get(next).accept());
      }
      for (int r = 0; r < n; r++) {
        ranks.add(new RawTcpRing(r, n, outs[r], ins[r]));
      }
      return ranks;
    } finally {
      for (ServerSocketChannel s : servers) {
        s.close();
      }
    }
  }

  private static SocketChannel configure(SocketChannel c) throws IOException {
    c.setOption(StandardSocketOptions.TCP_NODELAY, true);
    c.setOption(StandardSocketOptions.SO_SNDBUF, BUFFER);
    c.setOption(StandardSocketOptions.SO_RCVBUF, BUFFER);
    return c;
  }

  @Override
  public int rank() {
    return rank;
  }

  @Override
  public int size() {
    return size;
  }

  /** Moves the ring's bytes for {@code data.length} floats; leaves {@code data} as it is. */
  @Override
  public void mean(float[] data) {
    if (size == 1) {
      return;
    }
    long chunk = 4L * ((data.length + size - 1) / size);
    long total = 2L * (size - 1) * chunk;
    int buf = (int) Math.min(total, 16 << 20);
    if (sendBuf.capacity() < buf) {
      sendBuf = ByteBuffer.allocateDirect(buf);
      recvBuf = ByteBuffer.allocateDirect(buf);
    }
    long sent = 0;
    long received = 0;
    try {
      SelectionKey outKey = out.register(selector, 0);
      SelectionKey inKey = in.register(selector, 0);
      while (sent < total || received < total) {
        boolean progress = false;
        if (sent < total) {
          sendBuf.clear().limit((int) Math.min(buf, total - sent));
          int n = out.write(sendBuf);
          sent += n;
          progress |= n > 0;
        }
        if (received < total) {
          recvBuf.clear().limit((int) Math.min(buf, total - received));
          int n = in.read(recvBuf);
          if (n < 0) {
            throw new IOException("rank " + rank + ": the previous rank closed");
          }
          received += n;
          progress |= n > 0;
        }
        if (!progress) {
          outKey.interestOps(sent < total ? SelectionKey.OP_WRITE : 0);
          inKey.interestOps(received < total ? SelectionKey.OP_READ : 0);
          selector.select(1_000);
          selector.selectedKeys().clear();
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("raw TCP baseline, rank " + rank + ": " + e, e);
    }
  }

  @Override
  public void close() {
    for (AutoCloseable c : List.of(selector, out, in)) {
      try {
        c.close();
      } catch (Exception e) {
        // best effort
      }
    }
  }
}
