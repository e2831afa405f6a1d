package sparktrain.train.collective;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;

/**
 * A man in the middle for ring tests: listens on 127.0.0.1, takes one connection, connects it to
 * {@code target} and copies bytes both ways; the bytes from the connecting side go through a {@link
 * Tamper} first and are recorded (the first MB).
 */
final class TcpProxy implements AutoCloseable {
  /**
   * Changes the client's bytes on their way: {@code chunk} starts at {@code offset} of the stream.
   */
  interface Tamper {
    byte[] apply(long offset, byte[] chunk, TcpProxy proxy);
  }

  private final ServerSocket server;
  private final ByteArrayOutputStream recorded = new ByteArrayOutputStream();
  private volatile Socket client;
  private volatile Socket upstream;

  TcpProxy(String target, Tamper tamper) throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    int colon = target.lastIndexOf(':');
    String host = target.substring(0, colon);
    int port = Integer.parseInt(target.substring(colon + 1));
    Thread t =
        new Thread(
            () -> {
              try {
                client = server.accept();
                upstream = new Socket(host, port);
                Thread back = pump(upstream.getInputStream(), client.getOutputStream(), null);
                back.start();
                pump(client.getInputStream(), upstream.getOutputStream(), tamper).run();
              } catch (IOException e) {
                // closed
              } finally {
                close();
              }
            },
            "proxy-" + port);
    t.setDaemon(true);
    t.start();
  }

  private Thread pump(InputStream in, OutputStream out, Tamper tamper) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[64 << 10];
              long offset = 0;
              try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                  byte[] chunk = Arrays.copyOf(buf, n);
                  if (tamper != null) {
                    synchronized (recorded) {
                      if (recorded.size() < (1 << 20)) {
                        recorded.write(chunk, 0, Math.min(n, (1 << 20) - recorded.size()));
                      }
                    }
                    chunk = tamper.apply(offset, chunk, this);
                  }
                  offset += n;
                  out.write(chunk);
                  out.flush();
                }
              } catch (IOException e) {
                // closed
              } finally {
                close();
              }
            });
    t.setDaemon(true);
    return t;
  }

  /** host:port of the proxy. */
  String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  /** Bytes [from, to) of what the client sent so far. */
  byte[] recorded(int from, int to) {
    synchronized (recorded) {
      return Arrays.copyOfRange(recorded.toByteArray(), from, to);
    }
  }

  @Override
  public void close() {
    RingLinks.closeQuietly(server);
    RingLinks.closeQuietly(client);
    RingLinks.closeQuietly(upstream);
  }
}
