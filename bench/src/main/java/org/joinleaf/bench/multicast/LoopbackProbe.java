package org.joinleaf.bench.multicast;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import org.joinleaf.bench.SkippedException;

/** Checks, before anything is measured, that IPv4 multicast with TTL 0 is delivered on the loopback interface. */
final class LoopbackProbe {
    private static final int ATTEMPTS = 5;
    private static final long WAIT_PER_ATTEMPT_MILLIS = 400;

    private LoopbackProbe() {
    }

    /** The loopback interface {@code lo}, once one datagram sent to {@code group} on it came back. */
    static NetworkInterface requireMulticastOnLo(InetSocketAddress group) throws IOException, SkippedException {
        NetworkInterface lo = NetworkInterface.getByName("lo");
        // Not lo.supportsMulticast(): Linux delivers on lo without the MULTICAST flag; only delivery decides.
        if (lo == null || !lo.isUp()) {
            throw new SkippedException("the loopback interface 'lo' is missing or down; nothing was measured");
        }
        try (Selector selector = Selector.open();
             DatagramChannel receiver = DatagramChannel.open(StandardProtocolFamily.INET);
             DatagramChannel sender = DatagramChannel.open(StandardProtocolFamily.INET)) {
            receiver.setOption(StandardSocketOptions.SO_REUSEADDR, true).bind(new InetSocketAddress(group.getPort()));
            receiver.join(group.getAddress(), lo);
            receiver.configureBlocking(false).register(selector, SelectionKey.OP_READ);
            sender.setOption(StandardSocketOptions.IP_MULTICAST_IF, lo);
            sender.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 0);
            sender.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            for (int i = 0; i < ATTEMPTS; i++) {
                sender.send(ByteBuffer.wrap(new byte[] {1}), group);
                if (selector.select(WAIT_PER_ATTEMPT_MILLIS) > 0 && receiver.receive(ByteBuffer.allocate(1)) != null) {
                    return lo;
                }
            }
        }
        throw new SkippedException("no datagram sent to " + group + " on 'lo' (TTL 0) arrived within "
                + TimeUnit.MILLISECONDS.toSeconds(ATTEMPTS * WAIT_PER_ATTEMPT_MILLIS) + " s: multicast on the "
                + "loopback interface does not work here (firewall? try: ip link set lo multicast on); nothing was measured");
    }
}
