package org.joinleaf.multicast;

import java.net.InetSocketAddress;

/**
 * One datagram taken from (or peeked at in) a socket's receive queue: its {@code length} bytes at {@code offset} of
 * {@code storage}, which is the queue's {@link ByteRing} or an array of the datagram's own. Only the queue reads the
 * bytes: ring space is reused as soon as the datagram is taken.
 */
record Datagram(InetSocketAddress sender, byte[] storage, int offset, int length) {
}
