package sparktrain.train.collective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Regression test for the end-of-call close race: with 2 ranks, rank 0 finishes the last step of
 * mean() (it has all of rank 1's bytes, and its own last chunk is in the kernel's buffers) and
 * closes its group while rank 1 is still reading that chunk. Rank 1 then sees end-of-stream on its
 * connection to the next rank (rank 0's accepted socket, already closed) before the rest of the
 * chunk arrives on the other one, and used to fail with "peer 0 (...) closed the connection" in a
 * call that rank 0 completed. Here "rank 0" is a pair of raw sockets, so the order is forced: close
 * the next-side connection, then, later, send the rest of the chunk.
 */
class RingLinksCloseRaceTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private ServerSocketChannel server;
  private SocketChannel out; // rank 1 -> rank 0
  private SocketChannel in; // rank 0 -> rank 1
  private SocketChannel peerOfOut; // rank 0's end of `out` (its `in`)
  private SocketChannel peerOfIn; // rank 0's end of `in` (its `out`)
  private RingLinks links;

  private void connect() throws Exception {
    server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    out = SocketChannel.open(server.getLocalAddress());
    peerOfOut = server.accept();
    in = SocketChannel.open(server.getLocalAddress());
    peerOfIn = server.accept();
    Peer zero = new Peer(0, "127.0.0.1:1");
    links = new RingLinks(1, zero, zero, out, in, Limits.of(TIMEOUT, () -> false), null, null);
  }

  @AfterEach
  void closeAll() throws Exception {
    if (links != null) {
      links.close();
    }
    for (AutoCloseable c : new AutoCloseable[] {peerOfOut, peerOfIn, server}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void nextRankClosingAfterItHasEverythingDoesNotFailTheLastReceive() throws Exception {
    connect();
    byte[] chunk = new byte[64 * 1024];
    for (int i = 0; i < chunk.length; i++) {
      chunk[i] = (byte) (i * 31 + 7);
    }
    int half = chunk.length / 2;
    CompletableFuture<Void> rank0 =
        CompletableFuture.runAsync(
            () -> {
              try {
                writeFully(peerOfIn, ByteBuffer.wrap(chunk, 0, half));
                peerOfOut.close(); // rank 0 closed its group: first the connection from rank 1
                TimeUnit.MILLISECONDS.sleep(300); // rank 1 is waiting for the rest meanwhile
                writeFully(peerOfIn, ByteBuffer.wrap(chunk, half, chunk.length - half));
                peerOfIn.close();
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    ByteBuffer recv = ByteBuffer.allocate(chunk.length);
    links.exchange(ByteBuffer.allocate(0), recv, 0, null);
    rank0.get(5, TimeUnit.SECONDS);
    assertThat(recv.array()).isEqualTo(chunk);
  }

  @Test
  void nextRankClosingWhileThisRankStillSendsFailsFast() throws Exception {
    connect();
    peerOfOut.close();
    ByteBuffer send = ByteBuffer.allocate(64 << 20); // more than any socket buffer holds
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> links.exchange(send, ByteBuffer.allocate(0), 0, null))
        .isInstanceOf(CollectiveException.class)
        .hasMessageStartingWith("rank 1: ")
        .hasMessageContaining("peer 0");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(3_000);
  }

  private static void writeFully(SocketChannel c, ByteBuffer b) throws Exception {
    while (b.hasRemaining()) {
      c.write(b);
    }
  }
}
