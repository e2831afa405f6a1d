package sparktrain.train.collective;

import java.net.InetSocketAddress;

/** {@code host:port} strings, IPv6 literals in brackets ({@code [::1]:4000}). */
final class HostPort {
  private HostPort() {}

  static String format(String host, int port) {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }

  /** Parses (and resolves) {@code address}; an unresolvable host stays unresolved. */
  static InetSocketAddress parse(String address) {
    int colon = address == null ? -1 : address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw new IllegalArgumentException("address must be host:port, got '" + address + "'");
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("address must be host:port, got '" + address + "'", e);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range in '" + address + "'");
    }
    return new InetSocketAddress(host, port);
  }
}
