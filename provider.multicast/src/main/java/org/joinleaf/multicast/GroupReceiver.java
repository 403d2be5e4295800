package org.joinleaf.multicast;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The channel a joined socket receives its group on: bound to the group address itself and the socket's port,
 * holding the membership. Plain NIO has no {@code IP_PKTINFO}, so the destination of a datagram cannot be checked
 * after it arrived; instead the kernel is asked to deliver the group only. Linux delivers to a socket bound to a
 * multicast address only the datagrams sent to that address, so unicast to 127.0.0.1 or any other address of this
 * host at the group's port never reaches the application as group data (issue 11). The socket's own channel,
 * bound to the wildcard address, only sends and is never read.
 *
 * <p>Decision (Windows): a Windows socket bound to {@code INADDR_ANY} receives unicast to its port as well, and
 * Windows refuses to bind to a multicast address. joinleaf delivers the group only, as issue 11 demands; where the
 * platform refuses the group bind, this class falls back to the wildcard address with one warning, and there
 * unicast to the port is delivered too.
 */
final class GroupReceiver {
    private static final System.Logger LOG = System.getLogger(GroupReceiver.class.getName());
    /** The fallback is a property of the platform: said once per JVM, not once per join. */
    private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();

    private GroupReceiver() {
    }

    /**
     * An open, non-blocking channel bound to {@code group}'s address and {@code port}, already joined on
     * {@code networkInterface}, whose kernel receive buffer is {@code receiveBuffer} bytes (0: the OS default). When
     * {@code scopeZeroOn} is not null (the loopback interface, where members send with scope 0), the group is joined
     * there too, so that this host's scope-0 datagrams still arrive.
     */
    static Joined open(ProtocolFamily family, InetSocketAddress group, int port, NetworkInterface networkInterface,
                       NetworkInterface scopeZeroOn, int receiveBuffer) throws IOException {
        DatagramChannel channel = DatagramChannel.open(family);
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (receiveBuffer > 0) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
            }
            try {
                channel.bind(new InetSocketAddress(scoped(group.getAddress(), networkInterface), port));
            } catch (IOException e) {
                if (FALLBACK_LOGGED.compareAndSet(false, true)) {
                    LOG.log(System.Logger.Level.WARNING, "this platform cannot bind to the group address " + group
                        + " (" + e.getMessage() + "); receiving on the wildcard address, where unicast to port "
                        + port + " is delivered as group data too");
                }
                byte[] wildcard = new byte[group.getAddress() instanceof Inet6Address ? 16 : 4];
                channel.bind(new InetSocketAddress(InetAddress.getByAddress(wildcard), port));
            }
            MembershipKey membership = channel.join(group.getAddress(), networkInterface);
            MembershipKey loopback = null;
            if (scopeZeroOn != null) {
                try {
                    loopback = channel.join(group.getAddress(), scopeZeroOn);
                } catch (IOException e) {
                    // lo without multicast (IPv6 often): scope-0 datagrams of this host's members do not arrive here.
                }
            }
            return new Joined(channel, membership, loopback);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** An IPv6 group of interface- or link-local scope names its interface, or the kernel cannot bind it. */
    private static InetAddress scoped(InetAddress group, NetworkInterface networkInterface) throws IOException {
        if (group instanceof Inet6Address v6 && (v6.isMCLinkLocal() || v6.isMCNodeLocal()) && v6.getScopeId() == 0) {
            return Inet6Address.getByAddress(null, v6.getAddress(), networkInterface);
        }
        return group;
    }

    /** The receiving channel, its membership, and its loopback membership for scope 0 (or null). */
    record Joined(DatagramChannel channel, MembershipKey membership, MembershipKey loopback) {
    }
}
