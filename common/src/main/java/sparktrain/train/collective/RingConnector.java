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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets up the ring's two connections of one rank: it connects to the next rank (retrying while that
 * one refuses) and accepts the previous rank on its own server socket, at the same time under one
 * selector, so {@link #connect} returns only once both neighbours are in.
 *
 * <p>With a {@link RingAuth} (ring security on), each connection runs the handshake of {@link
 * RingHandshake}: a connection that fails it is logged and closed and the listener goes on waiting
 * for the real peer within the same timeout, so a stranger can neither join the ring nor stop it;
 * an idle or slow stranger holds no one up (every connection is served by the selector, and at most
 * {@value #MAX_CANDIDATES} unauthenticated ones are kept: the oldest goes first). Each connection
 * then gets its {@link FrameCipher}. Without one (ring security off) both ends check a plain
 * handshake (magic, sender rank, group size, hash of the address list) that keeps out stray
 * connections, not strangers.
 */
final class RingConnector {
  private static final Logger LOG = LoggerFactory.getLogger(RingConnector.class);

  static final int MAGIC = 0x53545231; // "STR1"
  static final int HELLO_BYTES = 20;
  static final byte ACK = 1;
  static final byte NACK = 2;

  /** Unauthenticated connections kept at once; beyond it the oldest is closed. */
  static final int MAX_CANDIDATES = 32;

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
  private final RingHandshake handshake; // null: ring security off
  private final Deque<Candidate> candidates = new ArrayDeque<>();
  private SocketChannel out;
  private SelectionKey outKey;
  private OutState outState = OutState.IDLE;
  private long retryAt;
  private Exception lastConnectError;
  private String lastRejection;
  private ByteBuffer outMessage; // the message being written on the outgoing connection
  private ByteBuffer outReply; // what is read on it
  private byte[] nonceC;
  private SocketChannel in;
  private FrameCipher sealer;
  private FrameCipher opener;

  private enum OutState {
    IDLE,
    CONNECTING,
    HELLO,
    WAIT_CHALLENGE,
    PROOF,
    WAIT_ACK,
    DONE
  }

  /** An accepted connection that has not (yet) proved to be the previous rank. */
  private static final class Candidate {
    final SocketChannel channel;
    ByteBuffer buf;
    boolean helloDone;
    byte[] nonceC;
    byte[] nonceS;

    Candidate(SocketChannel channel, int helloBytes) {
      this.channel = channel;
      this.buf = ByteBuffer.allocate(helloBytes);
    }
  }

  private RingConnector(
      ServerSocketChannel server, List<String> addresses, int rank, Limits limits, RingAuth auth)
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
    this.handshake = auth == null ? null : new RingHandshake(auth, size);
    this.selector = Selector.open();
  }

  /**
   * The connections of {@code rank} to its ring neighbours among {@code addresses}; with {@code
   * auth} (may be null: ring security off) authenticated and sealed.
   */
  static RingLinks connect(
      ServerSocketChannel server, List<String> addresses, int rank, Limits limits, RingAuth auth) {
    if (auth != null) {
      FrameCipher.warmUpOnce(); // once per JVM, before the neighbours wait on this rank's frames
    }
    RingConnector c;
    try {
      c = new RingConnector(server, addresses, rank, limits, auth);
    } catch (IOException e) {
      throw new CollectiveException("rank " + rank + ": cannot open a selector: " + e, e);
    }
    boolean ok = false;
    try {
      c.run();
      RingLinks links =
          new RingLinks(rank, c.next, c.prev, c.out, c.in, limits, c.sealer, c.opener);
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
          advanceIn(key, (Candidate) att);
        }
      }
      selector.selectedKeys().clear();
    }
  }

  private void startConnect() throws IOException {
    InetSocketAddress address = next.socketAddress();
    if (handshake == null) {
      outMessage = hello(rank, size, hash);
    } else {
      nonceC = RingAuth.nonce(RingHandshake.NONCE_BYTES);
      outMessage = handshake.hello(rank, nonceC);
    }
    out = SocketChannel.open();
    configure(out);
    out.configureBlocking(false);
    outKey = out.register(selector, SelectionKey.OP_CONNECT, OUT);
    try {
      if (out.connect(address)) {
        writeOut(OutState.HELLO);
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
      writeOut(OutState.HELLO);
    } else if ((outState == OutState.HELLO || outState == OutState.PROOF) && key.isWritable()) {
      writeOut(outState);
    } else if ((outState == OutState.WAIT_CHALLENGE || outState == OutState.WAIT_ACK)
        && key.isReadable()) {
      int n;
      try {
        n = out.read(outReply);
      } catch (IOException e) {
        n = -1;
      }
      if (n < 0) {
        if (handshake != null) {
          // The listener dropped us: another key, or a flood of strangers pushed us out of its
          // queue. Try again; a real mismatch ends at the timeout with this reason.
          lastRejection = next.address() + " closed the connection during the handshake";
          retryLater(new IOException(lastRejection));
          return;
        }
        throw new CollectiveException(
            "rank " + rank + ": " + next + " closed the connection during the handshake");
      }
      if (outReply.hasRemaining()) {
        return;
      }
      if (outState == OutState.WAIT_CHALLENGE) {
        checkChallenge();
      } else if (outReply.get(0) != ACK) {
        throw new CollectiveException(
            "rank " + rank + ": " + next + " rejected the handshake (not the same group)");
      } else {
        outKey.interestOps(0);
        outState = OutState.DONE;
      }
    }
  }

  /** Writes {@code outMessage}, in state {@code writing}; then waits for the answer. */
  private void writeOut(OutState writing) throws IOException {
    try {
      out.write(outMessage);
    } catch (IOException e) {
      retryLater(e); // e.g. reset by a listener that dropped us: try again
      return;
    }
    if (outMessage.hasRemaining()) {
      outState = writing;
      outKey.interestOps(SelectionKey.OP_WRITE);
      return;
    }
    boolean challengeNext = writing == OutState.HELLO && handshake != null;
    outState = challengeNext ? OutState.WAIT_CHALLENGE : OutState.WAIT_ACK;
    outReply = ByteBuffer.allocate(challengeNext ? RingHandshake.CHALLENGE_BYTES : 1);
    outKey.interestOps(SelectionKey.OP_READ);
  }

  /** The next rank's CHALLENGE: it must prove it holds the stage key and is that rank. */
  private void checkChallenge() throws IOException {
    byte[] nonceS = new byte[RingHandshake.NONCE_BYTES];
    byte[] tag = new byte[Hkdf.HASH_BYTES];
    outReply.flip();
    outReply.get(nonceS).get(tag);
    if (!handshake.serverTagValid(rank, next.rank(), nonceC, nonceS, tag)) {
      boolean first = lastRejection == null;
      lastRejection = next.address() + " answered the handshake without the ring's key";
      (first ? LOG.atWarn() : LOG.atDebug())
          .log(
              "rank {}: {} failed the ring handshake (not the ring's key or not rank {}); trying again",
              rank,
              next.address(),
              next.rank());
      retryLater(new IOException(lastRejection));
      return;
    }
    sealer = FrameCipher.sealing(handshake.frameKey(rank, next.rank(), nonceC, nonceS));
    outMessage = handshake.proof(rank, next.rank(), nonceC, nonceS);
    writeOut(OutState.PROOF);
  }

  private void accept() throws IOException {
    SocketChannel c;
    while ((c = server.accept()) != null) {
      try {
        configure(c);
        c.configureBlocking(false);
        Candidate candidate =
            new Candidate(c, handshake == null ? HELLO_BYTES : RingHandshake.HELLO_BYTES);
        c.register(selector, SelectionKey.OP_READ, candidate);
        candidates.addLast(candidate);
        if (candidates.size() > MAX_CANDIDATES) {
          Candidate oldest = candidates.peekFirst();
          reject(oldest, "too many unauthenticated connections: dropped the oldest");
        }
      } catch (IOException e) {
        RingLinks.closeQuietly(c);
      }
    }
  }

  private void advanceIn(SelectionKey key, Candidate c) throws IOException {
    int n;
    try {
      n = c.channel.read(c.buf);
    } catch (IOException e) {
      n = -1;
    }
    if (n < 0) {
      drop(c);
      return;
    }
    if (c.buf.hasRemaining()) {
      return;
    }
    if (handshake == null) {
      readHello(key, c);
    } else if (!c.helloDone) {
      readSecureHello(c);
    } else {
      readProof(key, c);
    }
  }

  private void readHello(SelectionKey key, Candidate cand) throws IOException {
    ByteBuffer buf = cand.buf;
    SocketChannel c = cand.channel;
    int magic = buf.getInt(0);
    int from = buf.getInt(4);
    int theirSize = buf.getInt(8);
    long theirHash = buf.getLong(12);
    if (magic != MAGIC || from != prev.rank() || in != null) {
      drop(cand); // not our previous rank: a stray connection
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
    accepted(key, cand);
  }

  private void readSecureHello(Candidate c) throws IOException {
    ByteBuffer buf = c.buf.flip();
    int magic = buf.getInt();
    int from = buf.getInt();
    int theirSize = buf.getInt();
    if (magic != RingHandshake.MAGIC || from != prev.rank() || theirSize != size || in != null) {
      reject(c, "not a ring hello from rank " + prev.rank() + " of " + size);
      return;
    }
    c.nonceC = new byte[RingHandshake.NONCE_BYTES];
    buf.get(c.nonceC);
    c.nonceS = RingAuth.nonce(RingHandshake.NONCE_BYTES);
    ByteBuffer challenge = handshake.challenge(prev.rank(), rank, c.nonceC, c.nonceS);
    c.channel.write(challenge);
    if (challenge.hasRemaining()) { // 64 bytes into an empty socket buffer: never
      reject(c, "cannot send the challenge");
      return;
    }
    c.helloDone = true;
    c.buf = ByteBuffer.allocate(RingHandshake.PROOF_BYTES);
  }

  private void readProof(SelectionKey key, Candidate c) throws IOException {
    byte[] tag = c.buf.array();
    if (in != null || !handshake.clientTagValid(prev.rank(), rank, c.nonceC, c.nonceS, tag)) {
      reject(c, "wrong proof (not the ring's key, a replayed or a reflected handshake)");
      return;
    }
    ByteBuffer ack = ByteBuffer.wrap(new byte[] {ACK});
    c.channel.write(ack);
    if (ack.hasRemaining()) {
      reject(c, "cannot send the acknowledgement");
      return;
    }
    opener = FrameCipher.opening(handshake.frameKey(prev.rank(), rank, c.nonceC, c.nonceS));
    accepted(key, c);
  }

  private void accepted(SelectionKey key, Candidate c) {
    key.interestOps(0);
    candidates.remove(c);
    in = c.channel;
  }

  /** Closes a connection that failed the handshake, and says so in the log. */
  private void reject(Candidate c, String why) {
    String from = remote(c);
    lastRejection = "a connection from " + from + " failed the handshake: " + why;
    LOG.warn(
        "rank {}: closed a connection from {} waiting for {}: {}; still waiting for {}",
        rank,
        from,
        prev,
        why,
        prev);
    drop(c);
  }

  private static String remote(Candidate c) {
    try {
      return String.valueOf(c.channel.getRemoteAddress());
    } catch (IOException e) {
      return "(unknown address)";
    }
  }

  private void drop(Candidate c) {
    candidates.remove(c);
    RingLinks.closeQuietly(c.channel);
  }

  private String timeoutMessage() {
    String t = Timeouts.text(timeoutNanos);
    List<String> what = new ArrayList<>();
    if (in == null) {
      what.add(
          prev
              + " did not connect within "
              + t
              + (lastRejection == null ? "" : " (last refused: " + lastRejection + ")"));
    }
    switch (outState) {
      case IDLE, CONNECTING ->
          what.add(
              "cannot connect to "
                  + next
                  + " within "
                  + t
                  + (lastConnectError == null ? "" : " (" + lastConnectError + ")"));
      case HELLO, WAIT_CHALLENGE, PROOF, WAIT_ACK ->
          what.add(next + " took the connection but did not answer the handshake within " + t);
      case DONE -> {}
    }
    return "rank " + rank + ": " + String.join("; ", what);
  }

  private void cleanUp(boolean ok) {
    RingLinks.closeQuietly(selector); // deregisters every channel
    if (ok && handshake != null && !candidates.isEmpty()) {
      List<String> from = new ArrayList<>();
      for (Candidate c : candidates) {
        from.add(remote(c));
      }
      LOG.warn(
          "rank {}: closed {} connection(s) that did not complete the ring handshake: {}",
          rank,
          from.size(),
          from);
    }
    candidates.forEach(c -> RingLinks.closeQuietly(c.channel));
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
