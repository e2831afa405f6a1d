package sparktrain.train.collective;

import java.net.InetSocketAddress;

/** Another rank of a ring and its published {@code host:port}. */
record Peer(int rank, String address) {
  /** The socket address of {@link #address()}. */
  InetSocketAddress socketAddress() {
    return HostPort.parse(address);
  }

  @Override
  public String toString() {
    return "peer " + rank + " (" + address + ")";
  }
}
