package org.joinleaf.runtime.defaultprovider;

import static org.joinleaf.api.Winsock2.*;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.joinleaf.api.IPV6_MREQ;
import org.joinleaf.api.IP_MREQ;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.spi.ConnectCompletion;
import org.joinleaf.spi.ConnectRequest;
import org.joinleaf.spi.LocalSources;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.spi.WsaErrors;
import org.joinleaf.spi.WsaException;

/**
 * A UDP socket of the default provider. Its catalog entry advertises {@code XP1_SUPPORT_MULTIPOINT} like Windows,
 * but the socket is not a {@code MultipointSocket}: joins fail with {@code WSASYSCALLFAILURE} (§3 R38). Sends go
 * straight to the kernel from the caller's thread; the I/O loop moves arrivals into a bounded
 * {@link DatagramQueue} and posts {@code FD_READ}. Loopback off ({@code IP_MULTICAST_LOOP}, {@code SIO_MULTIPOINT_LOOPBACK})
 * is applied on the receive path as on Windows and in every provider: the kernel keeps looping every sender's
 * multicast back, and a socket that is a member of a group with loopback off drops every datagram whose source
 * address is this host's (decision 25).
 */
final class UdpSocket extends IoHandler implements ProviderSocket {
    /** Datagrams read per readiness event, so that one busy socket cannot starve the others. */
    private static final int READS_PER_WAKEUP = 64;
    /** This host's addresses, for loopback off; one cache for every socket (it holds only addresses). */
    private static final LocalSources LOCAL_SOURCES = new LocalSources();

    private final DatagramChannel channel;
    private final SocketUpcalls upcalls;
    private final SocketResources resources;
    private final DatagramQueue queue;
    private final ChannelOptions options = new ChannelOptions();
    /** IP_ADD_MEMBERSHIP / IPV6_ADD_MEMBERSHIP groups, dropped by the matching DROP or by close. */
    private final List<MembershipKey> memberships = new ArrayList<>();
    /** Loopback on: datagrams from this host are received (the Winsock default). */
    private volatile boolean loopback = true;
    private boolean sendShutdown;
    private boolean receiveShutdown;
    private boolean writeRefused;
    private boolean closed;

    private UdpSocket(DatagramChannel channel, SocketUpcalls upcalls, SocketResources resources) {
        this.channel = channel;
        this.upcalls = upcalls;
        this.resources = resources;
        this.queue = new DatagramQueue(resources.limits().receiveBufferBytes(), resources.budget());
    }

    /** A new unbound socket, counted against the provider's socket limit and registered for reading. */
    static UdpSocket open(SocketResources resources, ProtocolFamily family, SocketUpcalls upcalls)
            throws WsaException {
        DatagramChannel channel;
        try {
            channel = DatagramChannel.open(family);
            channel.configureBlocking(false);
        } catch (IOException e) {
            throw WsaErrors.exception(e, WSAENOBUFS, "opening a UDP channel");
        }
        UdpSocket socket = new UdpSocket(channel, upcalls, resources);
        try {
            resources.open().admit(socket);
        } catch (WsaException e) {
            Channels.closeQuietly(channel);
            throw e;
        }
        resources.loop().schedule(socket);
        return socket;
    }

    @Override
    public void bind(SOCKADDR name) throws WsaException {
        InetSocketAddress address = Channels.address(name);
        synchronized (this) {
            if (localAddress() != null) {
                throw new WsaException(WSAEINVAL, "this socket is already bound to " + localAddress());
            }
            try {
                channel.bind(address);
            } catch (UnsupportedAddressTypeException e) {
                throw new WsaException(WSAEAFNOSUPPORT, name + " is not an address of this socket's family");
            } catch (IOException e) {
                throw WsaErrors.exception(e, WSAEADDRNOTAVAIL, "bind to " + name);
            }
        }
    }

    @Override
    public SOCKADDR localAddress() {
        return Channels.localAddressOf(channel);
    }

    @Override
    public SOCKADDR peerAddress() {
        try {
            InetSocketAddress peer = (InetSocketAddress) channel.getRemoteAddress();
            return peer == null ? null : SOCKADDR.of(peer);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Sets the default peer (and filters arrivals to it); completes at once. A later connect replaces it; a name of
     * family {@code AF_UNSPEC} clears it (issue 13).
     */
    @Override
    public void connect(ConnectRequest request, ConnectCompletion completion) throws WsaException {
        boolean clear = request.name().sa_family == AF_UNSPEC;
        InetSocketAddress peer = clear ? null : Channels.address(request.name());
        IOException failure = null;
        synchronized (this) {
            try {
                if (channel.isConnected()) {
                    channel.disconnect();
                }
                if (!clear) {
                    channel.connect(peer);
                }
            } catch (UnsupportedAddressTypeException e) {
                throw new WsaException(WSAEAFNOSUPPORT, peer + " is not an address of this socket's family");
            } catch (IOException e) {
                failure = e;
            }
        }
        if (failure == null) {
            completion.connected(null);
        } else {
            completion.failed(WsaErrors.code(failure, WSAENETUNREACH),
                    WsaErrors.message(failure, WSAENETUNREACH, "connect to " + peer));
        }
    }

    @Override
    public int send(ByteBuffer message, SOCKADDR to) throws WsaException {
        int size = message.remaining();
        if (size > DefaultCatalog.MAX_UDP_MESSAGE) {
            throw new WsaException(WSAEMSGSIZE, "a datagram of " + size + " bytes exceeds the limit of "
                    + DefaultCatalog.MAX_UDP_MESSAGE + " bytes (dwMessageSize)");
        }
        boolean connected;
        synchronized (this) {
            if (sendShutdown) {
                throw new WsaException(WSAESHUTDOWN, "send after shutdown(SD_SEND) on this socket");
            }
            connected = channel.isConnected();
        }
        if (!connected && to == null) {
            throw new WsaException(WSAEDESTADDRREQ, "an unconnected UDP socket needs a destination: use sendto");
        }
        int sent;
        try {
            sent = connected ? channel.write(message) : channel.send(message, Channels.address(to));
        } catch (UnsupportedAddressTypeException e) {
            throw new WsaException(WSAEAFNOSUPPORT, to + " is not an address of this socket's family");
        } catch (IOException e) {
            throw WsaErrors.exception(e, WSAENETDOWN, "sendto " + (connected ? peerAddress() : to));
        }
        if (sent == 0 && size > 0) {
            synchronized (this) {
                writeRefused = true;
            }
            resources.loop().schedule(this); // select OP_WRITE, then FD_WRITE
            throw new WsaException(WSAEWOULDBLOCK, "the system send buffer is full; wait for FD_WRITE");
        }
        return sent;
    }

    @Override
    public int receive(ByteBuffer buffer, SOCKADDR from, boolean peek) throws WsaException {
        DatagramQueue.Datagram d;
        boolean more;
        synchronized (this) {
            if (receiveShutdown) {
                throw new WsaException(WSAESHUTDOWN, "receive after shutdown(SD_RECEIVE) on this socket");
            }
            d = queue.peek();
            if (d == null) {
                throw new WsaException(WSAEWOULDBLOCK, "no datagram queued; wait for FD_READ");
            }
            if (!peek) {
                queue.remove();
            }
            more = !queue.isEmpty();
        }
        int n = Math.min(d.data().length, buffer.remaining());
        buffer.put(d.data(), 0, n);
        if (from != null) {
            from.set(SOCKADDR.of(d.from()));
        }
        if (more) {
            upcalls.post(FD_READ_BIT, 0); // level-triggered: more datagrams wait
        }
        if (n < d.data().length) {
            throw new WsaException(WSAEMSGSIZE, "the datagram of " + d.data().length + " bytes was truncated to "
                    + n + "; the rest is discarded (use a larger buffer)");
        }
        return n;
    }

    @Override
    public synchronized int available() {
        DatagramQueue.Datagram d = queue.peek();
        return d == null ? 0 : d.data().length;
    }

    @Override
    public void ioctl(int code, Object in, Object out) throws WsaException {
        try {
            if (code == SIO_MULTIPOINT_LOOPBACK && in instanceof Boolean loop) {
                loopback = loop;
            } else if (code == SIO_MULTICAST_SCOPE && in instanceof Integer scope) {
                if (scope < 0 || scope > 255) {
                    throw new WsaException(WSAEINVAL, "multicast scope must be 0-255 (an IP TTL), not " + scope);
                }
                channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, scope);
            } else if (code == SIO_MULTIPOINT_LOOPBACK || code == SIO_MULTICAST_SCOPE) {
                throw new WsaException(WSAEFAULT, "ioctl 0x" + Integer.toHexString(code)
                        + " needs a " + (code == SIO_MULTICAST_SCOPE ? "Integer" : "Boolean") + " input, not " + in);
            } else {
                ProviderSocket.super.ioctl(code, in, out);
            }
        } catch (IOException e) {
            throw WsaErrors.exception(e, WSAEINVAL, "ioctl 0x" + Integer.toHexString(code));
        }
    }

    /**
     * {@code setsockopt} (issue 13): the options of {@link ChannelOptions}, the memberships, which the channel
     * keeps as {@link MembershipKey}s, and loopback, which this socket applies on receiving.
     */
    @Override
    public void setOption(int level, int optname, Object value) throws WsaException {
        if (value instanceof IP_MREQ) {
            IP_MREQ m = (IP_MREQ) value;
            membership(optname == IP_ADD_MEMBERSHIP, inAddr(m.imr_multiaddr), inAddr(m.imr_interface));
        } else if (value instanceof IPV6_MREQ) {
            IPV6_MREQ m = (IPV6_MREQ) value;
            try {
                membership(optname == IPV6_ADD_MEMBERSHIP, InetAddress.getByAddress(m.ipv6mr_multiaddr),
                        m.ipv6mr_interface);
            } catch (IOException e) {
                throw new WsaException(WSAEINVAL, "ipv6mr_multiaddr is not an address");
            }
        } else if (level == IPPROTO_IP && optname == IP_MULTICAST_LOOP
                || level == IPPROTO_IPV6 && optname == IPV6_MULTICAST_LOOP) {
            loopback = (Boolean) value;
        } else {
            options.set(level, optname, value, channel);
        }
    }

    @Override
    public Object getOption(int level, int optname) throws WsaException {
        if (level == IPPROTO_IP && optname == IP_MULTICAST_LOOP
                || level == IPPROTO_IPV6 && optname == IPV6_MULTICAST_LOOP) {
            return loopback; // also what SIO_MULTIPOINT_LOOPBACK set
        }
        return ChannelOptions.get(level, optname, channel);
    }

    private static InetAddress inAddr(int value) throws WsaException {
        byte[] b = {(byte) value, (byte) (value >> 8), (byte) (value >> 16), (byte) (value >> 24)};
        try {
            return InetAddress.getByAddress(b);
        } catch (IOException e) {
            throw new WsaException(WSAEINVAL, "not an in_addr");
        }
    }

    /** Joins or leaves {@code group} on the named interface, else the IP_MULTICAST_IF one, else the first up. */
    private void membership(boolean add, InetAddress group, Object interfaceName) throws WsaException {
        NetworkInterface ni = ChannelOptions.interfaceOf(interfaceName);
        if (ni == null) {
            ni = options.multicastInterface() != null ? options.multicastInterface() : multicastCapable();
        }
        synchronized (this) {
            for (MembershipKey k : memberships) {
                if (k.group().equals(group) && k.networkInterface().equals(ni)) {
                    if (add) {
                        throw new WsaException(WSAEADDRINUSE, "already a member of " + group.getHostAddress()
                                + " on " + ni.getName());
                    }
                    k.drop();
                    memberships.remove(k);
                    return;
                }
            }
            if (!add) {
                throw new WsaException(WSAEADDRNOTAVAIL, "not a member of " + group.getHostAddress() + " on "
                        + ni.getName() + "; nothing to drop");
            }
            try {
                memberships.add(channel.join(group, ni));
            } catch (IllegalArgumentException e) {
                throw new WsaException(WSAEINVAL, group.getHostAddress() + " cannot be joined on this socket: "
                        + e.getMessage());
            } catch (IOException e) {
                throw WsaErrors.exception(e, WSAEADDRNOTAVAIL, "joining " + group.getHostAddress());
            }
        }
    }

    /** The first interface that is up and does multicast, a non-loopback one first (the system's usual choice). */
    private static NetworkInterface multicastCapable() throws WsaException {
        NetworkInterface loopback = null;
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp()) {
                    continue;
                }
                if (ni.isLoopback()) {
                    loopback = ni;
                } else if (ni.supportsMulticast()) {
                    return ni;
                }
            }
        } catch (IOException e) {
            throw new WsaException(WSAENETDOWN, "the interfaces cannot be listed: " + e.getMessage());
        }
        if (loopback == null) {
            throw new WsaException(WSAENETDOWN, "no interface is up to join a group on");
        }
        return loopback;
    }

    @Override
    public void shutdown(int how) throws WsaException {
        if (how != SD_RECEIVE && how != SD_SEND && how != SD_BOTH) {
            throw new WsaException(WSAEINVAL, "shutdown how must be SD_RECEIVE, SD_SEND or SD_BOTH, not " + how);
        }
        synchronized (this) {
            if (how != SD_SEND) {
                receiveShutdown = true;
                queue.clear();
            }
            if (how != SD_RECEIVE) {
                sendShutdown = true;
            }
        }
    }

    @Override
    public void close() {
        long dropped;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            dropped = queue.dropped();
            queue.clear();
        }
        if (dropped > 0) {
            System.getLogger(UdpSocket.class.getName()).log(System.Logger.Level.INFO, "UDP socket " + localAddress()
                    + " dropped " + dropped + " datagrams on a full receive queue; raise receiveBufferBytes in PID "
                    + DefaultProvider.PID + " or receive faster");
        }
        Channels.closeQuietly(channel);
        resources.open().release(this);
    }

    /** Loop thread: handling this socket's readiness threw; the datagram being handled is lost and counted. */
    @Override
    void failed(SelectionKey key, Throwable t) {
        synchronized (this) {
            queue.countFailure();
        }
    }

    @Override
    SocketUpcalls upcalls() {
        return upcalls;
    }

    @Override
    void sync(Selector selector) {
        int ops;
        synchronized (this) {
            if (closed) {
                return;
            }
            ops = SelectionKey.OP_READ | (writeRefused ? SelectionKey.OP_WRITE : 0);
        }
        interest(selector, channel, ops);
    }

    @Override
    void ready(SelectionKey key) {
        if (key.isReadable()) {
            onReadable();
        }
        if (key.isValid() && key.isWritable()) {
            synchronized (this) {
                writeRefused = false;
            }
            upcalls.post(FD_WRITE_BIT, 0);
        }
        sync(key.selector());
    }

    /**
     * Loopback off drops what this host sent, on a socket that is a member of a group. The JDK does not say whether a
     * datagram was sent to the group or to this socket's own address, so a member drops local unicast too.
     */
    private boolean loopedBack(InetSocketAddress from) {
        return !loopback && !memberships.isEmpty() && LOCAL_SOURCES.isLocal(from.getAddress());
    }

    private void onReadable() {
        ByteBuffer scratch = resources.loop().datagramScratch();
        int queued = 0;
        try {
            for (int i = 0; i < READS_PER_WAKEUP; i++) {
                scratch.clear();
                InetSocketAddress from = (InetSocketAddress) channel.receive(scratch);
                if (from == null) {
                    break;
                }
                resources.loop().duringRead();
                scratch.flip();
                synchronized (this) {
                    if (!closed && !receiveShutdown && !loopedBack(from) && queue.offer(scratch, from)) {
                        queued++;
                    }
                }
            }
        } catch (IOException e) {
            // ICMP errors on a connected socket (port unreachable): datagram sockets carry on, as on Windows
            // where only the next recv would report it.
        } finally { // also when a throwable cost the last datagram: those queued before it are announced
            if (queued > 0) {
                upcalls.post(FD_READ_BIT, 0);
            }
        }
    }
}
