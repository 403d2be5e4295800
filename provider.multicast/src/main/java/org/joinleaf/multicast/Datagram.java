package org.joinleaf.multicast;

import java.net.InetSocketAddress;

/** One received datagram, whole, waiting in a socket's receive queue. */
record Datagram(InetSocketAddress sender, byte[] data) {
}
