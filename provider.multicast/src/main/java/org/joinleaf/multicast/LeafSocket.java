package org.joinleaf.multicast;

import static org.joinleaf.api.Winsock2.AF_INET;
import static org.joinleaf.api.Winsock2.AF_INET6;
import static org.joinleaf.api.Winsock2.FD_CLOSE_BIT;
import static org.joinleaf.api.Winsock2.FD_READ_BIT;
import static org.joinleaf.api.Winsock2.FD_WRITE_BIT;
import static org.joinleaf.api.Winsock2.IPPROTO_IP;
import static org.joinleaf.api.Winsock2.IPPROTO_IPV6;
import static org.joinleaf.api.Winsock2.IPV6_MULTICAST_HOPS;
import static org.joinleaf.api.Winsock2.IPV6_MULTICAST_LOOP;
import static org.joinleaf.api.Winsock2.IP_MULTICAST_LOOP;
import static org.joinleaf.api.Winsock2.IP_MULTICAST_TTL;
import static org.joinleaf.api.Winsock2.JL_SENDER_ONLY;
import static org.joinleaf.api.Winsock2.SIO_MULTICAST_SCOPE;
import static org.joinleaf.api.Winsock2.SIO_MULTIPOINT_LOOPBACK;
import static org.joinleaf.api.Winsock2.SOL_SOCKET;
import static org.joinleaf.api.Winsock2.SO_RCVBUF;
import static org.joinleaf.api.Winsock2.SO_REUSEADDR;
import static org.joinleaf.api.Winsock2.AF_UNSPEC;
import static org.joinleaf.api.Winsock2.WSAEADDRNOTAVAIL;
import static org.joinleaf.api.Winsock2.WSAEAFNOSUPPORT;
import static org.joinleaf.api.Winsock2.WSAEINVAL;
import static org.joinleaf.api.Winsock2.WSAEISCONN;
import static org.joinleaf.api.Winsock2.WSAEMSGSIZE;
import static org.joinleaf.api.Winsock2.WSAENETDOWN;
import static org.joinleaf.api.Winsock2.WSAENETUNREACH;
import static org.joinleaf.api.Winsock2.WSAENOBUFS;
import static org.joinleaf.api.Winsock2.WSAENOPROTOOPT;
import static org.joinleaf.api.Winsock2.WSAENOTCONN;
import static org.joinleaf.api.Winsock2.WSAEWOULDBLOCK;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.channels.SelectionKey;
import java.util.concurrent.atomic.AtomicLong;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.spi.ConnectCompletion;
import org.joinleaf.spi.ConnectRequest;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.spi.WsaException;

/**
 * One {@code C_LEAF|D_LEAF} socket: a non-blocking {@link DatagramChannel} whose join is a {@link MembershipKey} on
 * the configured interface (§1.3, §7). The membership lives on a second channel bound to the group address
 * ({@link GroupReceiver}), so only the group's datagrams arrive; the socket's own channel sends. Arrivals are read
 * by one of the provider's {@link SelectorLoop}s (the same one for the socket's life) into a {@link ReceiveQueue} bounded in bytes (overflow is dropped and
 * counted) and announced with {@code FD_READ}.
 *
 * <p>Pitfalls: methods run on application threads and {@link #readable}/{@link #writable} on the loop thread;
 * the lock on {@code this} guards only the bind/join/close state and is never held while calling the runtime.
 * The kernel's {@code SO_REUSEADDR} is always on so that the receiving channel can share the socket's port; the
 * application's {@code SO_REUSEADDR} is applied by {@link BoundPorts}. The JDK turns
 * Linux's {@code IP_MULTICAST_ALL} off for datagram channels, so a socket receives only the groups it joined itself:
 * a {@code JL_SENDER_ONLY} member sharing the group's port gets nothing from the kernel (checked on JDK 17).
 */
final class LeafSocket implements MultipointSocket {
    /** Datagrams read per wake-up before the loop serves the other sockets. */
    private static final int READS_PER_WAKEUP = 64;

    private final int family;
    private final DatagramChannel channel;
    private final SocketUpcalls upcalls;
    private final SocketContext context;
    private final MulticastSettings settings;
    private final SelectorLoop loop;
    private final ReceiveQueue received;
    private final AtomicLong filtered = new AtomicLong();

    private volatile boolean loopback = true;
    private volatile int localPort;
    private volatile boolean reuseAddress;
    private volatile int receiveBuffer;
    /** Where send without a destination goes once connect named one (issue 13); null: the joined group. */
    private volatile InetSocketAddress defaultDestination;
    /** The joined group; written under the lock on this, read without it by send. */
    private volatile InetSocketAddress group;

    // Guarded by this.
    private SelectionKey key;
    private MembershipKey membership;
    private DatagramChannel groupChannel;
    private boolean closed;

    private LeafSocket(int family, DatagramChannel channel, SocketUpcalls upcalls, SocketContext context) {
        this.family = family;
        this.channel = channel;
        this.upcalls = upcalls;
        this.context = context;
        this.settings = context.settings();
        this.loop = context.loops().next();
        this.receiveBuffer = settings.socketReceiveBuffer();
        this.received = new ReceiveQueue(context.budget(), settings.receiveLimits().perSocketBytes(),
                settings.receiveQueueDatagrams());
    }

    /** Opens the channel of a new socket of {@code family} ({@code AF_INET} or {@code AF_INET6}). */
    static LeafSocket open(int family, SocketUpcalls upcalls, SocketContext context) throws WsaException {
        MulticastSettings settings = context.settings();
        DatagramChannel channel = null;
        try {
            channel = DatagramChannel.open(family == AF_INET6 ? StandardProtocolFamily.INET6
                    : StandardProtocolFamily.INET);
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            applyScope(channel, settings, settings.defaultScope());
            // The kernel loops back to every local member; loopback off filters on receive (LocalSources).
            channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            // Never read (GroupReceiver receives): unicast to its port waits in the smallest kernel buffer there is.
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 1);
            return new LeafSocket(family, channel, upcalls, context);
        } catch (IOException e) {
            closeQuietly(channel);
            throw SocketErrors.of(e, "opening a UDP socket on interface " + settings.networkInterface().getName());
        }
    }

    @Override
    public synchronized void bind(SOCKADDR name) throws WsaException {
        ensureOpen();
        if (localPort != 0) {
            throw new WsaException(WSAEINVAL, "the socket is already bound to " + localAddress());
        }
        InetSocketAddress local = inFamily(name);
        if (local.getAddress().isMulticastAddress()) {
            throw new WsaException(WSAEADDRNOTAVAIL, "cannot bind to the group address " + name + ", as on Windows: "
                    + "bind to the wildcard address or an interface address with the group's port, then WSAJoinLeaf");
        }
        bindTo(local, reuseAddress);
    }

    @Override
    public SOCKADDR localAddress() {
        try {
            InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
            return local == null ? null : SOCKADDR.of(local);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Joins the group named by the request (R24: returns {@code this}). Unbound sockets are first bound to the
     * wildcard address and the group's port (R10). {@code JL_SENDER_ONLY} does not subscribe (§1.3); the other
     * directions add a membership on the configured interface. Caller data is ignored and no callee data comes back
     * (connectionless, decisions 9).
     */
    @Override
    public ProviderSocket join(ConnectRequest request, ConnectCompletion completion) throws WsaException {
        InetSocketAddress target = inFamily(request.name());
        if (!target.getAddress().isMulticastAddress()) {
            throw new WsaException(WSAEADDRNOTAVAIL, request.name() + " is not a multicast group address; "
                    + "this provider joins IPv4 groups in 224.0.0.0/4 and IPv6 groups in ff00::/8");
        }
        IOException joinFailure = null;
        synchronized (this) {
            ensureOpen();
            if (group != null) {
                throw new WsaException(WSAEISCONN, "this socket already joined " + group);
            }
            if (localPort == 0) {
                // The provider chose the group's port so that members meet: shared as with SO_REUSEADDR.
                bindTo(new InetSocketAddress(wildcard(), target.getPort()), true);
            }
            if (request.direction() != JL_SENDER_ONLY) {
                GroupReceiver.Joined joined = null;
                try {
                    joined = GroupReceiver.open(protocolFamily(), target, localPort, settings.networkInterface(),
                            settings.confinesScopeZero() ? settings.loopbackInterface() : null, receiveBuffer);
                    loop.register(joined.channel(), SelectionKey.OP_READ, this);
                    groupChannel = joined.channel();
                    membership = joined.membership();
                } catch (IOException | ClosedSelectorException e) {
                    joinFailure = e instanceof IOException io ? io : new IOException("the provider is stopping", e);
                    closeQuietly(joined == null ? null : joined.channel());
                }
            }
            if (joinFailure == null) {
                group = target;
            }
        }
        if (joinFailure != null) {
            // Retry is allowed after WSAENETUNREACH (R22); ENOBUFS is the kernel's membership limit.
            int code = SocketErrors.code(joinFailure) == WSAENOBUFS ? WSAENOBUFS : WSAENETUNREACH;
            completion.failed(code, "cannot join " + target + " on interface "
                    + settings.networkInterface().getName() + ": " + joinFailure.getMessage()
                    + " (check interfaceName/ipv4Interface of " + MulticastConfig.PID + ")");
            return this;
        }
        completion.connected(null);
        upcalls.post(FD_WRITE_BIT, 0); // a joined UDP socket can send at once
        return this;
    }

    /**
     * {@code connect} on a datagram socket, as Winsock does it (issue 13): sets the default destination of send, or
     * changes it on a second connect, also after {@code WSAJoinLeaf}; {@code AF_UNSPEC} or the all-zero address
     * clears it (send then goes to the joined group, or fails with {@code WSAENOTCONN}). Nothing goes on the wire, so
     * it completes at once. An unbound socket is bound to the wildcard address and an ephemeral port first.
     */
    @Override
    public void connect(ConnectRequest request, ConnectCompletion completion) throws WsaException {
        SOCKADDR name = request.name();
        InetSocketAddress target = null;
        if (name.sa_family != AF_UNSPEC && !inFamily(name).getAddress().isAnyLocalAddress()) {
            target = destination(name);
        }
        synchronized (this) {
            ensureOpen();
            if (localPort == 0) {
                bindTo(new InetSocketAddress(wildcard(), 0), false);
            }
            defaultDestination = target;
        }
        completion.connected(null);
        upcalls.post(FD_WRITE_BIT, 0);
    }

    /** The default destination of send: the one connect named, else the joined group, else null. */
    @Override
    public synchronized SOCKADDR peerAddress() {
        InetSocketAddress peer = defaultDestination != null ? defaultDestination : group;
        return peer == null ? null : SOCKADDR.of(peer);
    }

    /**
     * {@code setsockopt}: {@code SO_REUSEADDR} ({@code Boolean}, before bind), {@code SO_RCVBUF} ({@code Integer}
     * bytes of the receiving channel, 0 = the OS default; after the join, 0 keeps the size the channel has),
     * {@code IP_MULTICAST_LOOP}/{@code IPV6_MULTICAST_LOOP}
     * (as {@code SIO_MULTIPOINT_LOOPBACK}) and {@code IP_MULTICAST_TTL}/{@code IPV6_MULTICAST_HOPS} (as
     * {@code SIO_MULTICAST_SCOPE}).
     */
    @Override
    public void setOption(int level, int optname, Object value) throws WsaException {
        int ipLevel = family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
        if (level == SOL_SOCKET && optname == SO_REUSEADDR) {
            reuseAddress = bool("SO_REUSEADDR", value);
        } else if (level == SOL_SOCKET && optname == SO_RCVBUF) {
            if (!(value instanceof Integer) || (Integer) value < 0) {
                throw new WsaException(WSAEINVAL, "SO_RCVBUF takes an Integer >= 0 (bytes; 0 = the OS default), not "
                        + value);
            }
            applyReceiveBuffer((Integer) value);
        } else if (level == ipLevel && optname == (family == AF_INET6 ? IPV6_MULTICAST_LOOP : IP_MULTICAST_LOOP)) {
            loopback = bool("IP_MULTICAST_LOOP", value);
        } else if (level == ipLevel && optname == (family == AF_INET6 ? IPV6_MULTICAST_HOPS : IP_MULTICAST_TTL)) {
            ioctl(SIO_MULTICAST_SCOPE, value, null);
        } else {
            throw new WsaException(WSAENOPROTOOPT, "option " + optname + " at level 0x" + Integer.toHexString(level)
                    + " is not offered by the multicast provider (SO_REUSEADDR, SO_RCVBUF, IP_MULTICAST_LOOP, "
                    + "IP_MULTICAST_TTL and their IPv6 forms are)");
        }
    }

    /**
     * {@code getsockopt} (issue 13, decision 26): the values in effect. {@code SO_RCVBUF} as the kernel applied it
     * to the receiving channel once subscribed (before, what was set); loopback and the TTL as this socket applies
     * them; {@code SO_REUSEADDR} as set.
     */
    @Override
    public Object getOption(int level, int optname) throws WsaException {
        int ipLevel = family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
        try {
            if (level == SOL_SOCKET && optname == SO_RCVBUF) {
                int applied = appliedReceiveBuffer();
                return applied > 0 ? applied : null;
            } else if (level == ipLevel && optname == (family == AF_INET6 ? IPV6_MULTICAST_LOOP : IP_MULTICAST_LOOP)) {
                return loopback;
            } else if (level == ipLevel && optname == (family == AF_INET6 ? IPV6_MULTICAST_HOPS : IP_MULTICAST_TTL)) {
                return channel.getOption(StandardSocketOptions.IP_MULTICAST_TTL);
            } else if (level == SOL_SOCKET && optname == SO_REUSEADDR) {
                return reuseAddress;
            }
        } catch (IOException e) {
            throw SocketErrors.of(e, "reading option " + optname);
        }
        return null;
    }

    private static boolean bool(String option, Object value) throws WsaException {
        if (!(value instanceof Boolean)) {
            throw new WsaException(WSAEINVAL, option + " takes a Boolean (BOOL), not " + value);
        }
        return (Boolean) value;
    }

    private void applyReceiveBuffer(int bytes) throws WsaException {
        DatagramChannel receiving;
        synchronized (this) {
            receiveBuffer = bytes;
            receiving = groupChannel;
        }
        if (receiving != null && bytes > 0) {
            try {
                receiving.setOption(StandardSocketOptions.SO_RCVBUF, bytes);
            } catch (IOException e) {
                throw SocketErrors.of(e, "setting SO_RCVBUF");
            }
        }
    }

    /** Sends one datagram to {@code to}, or to the joined group when {@code to} is {@code null}. */
    @Override
    public int send(ByteBuffer message, SOCKADDR to) throws WsaException {
        int length = message.remaining();
        if (length > settings.maxDatagramSize()) {
            throw new WsaException(WSAEMSGSIZE, "a datagram of " + length + " bytes exceeds the largest this provider "
                    + "sends, " + settings.maxDatagramSize() + " bytes (maxDatagramSize of " + MulticastConfig.PID + ")");
        }
        InetSocketAddress target = to == null ? defaultTarget() : destination(to);
        int sent;
        try {
            sent = channel.send(message, target);
        } catch (IOException e) {
            throw SocketErrors.of(e, "sending to " + target);
        }
        if (localPort == 0) {
            noteImplicitBind();
        }
        if (sent == 0 && length > 0) {
            synchronized (this) {
                ensureOpen();
                loop.interest(key(), SelectionKey.OP_WRITE, true);
            }
            throw new WsaException(WSAEWOULDBLOCK, "the socket's send buffer is full; send again after FD_WRITE");
        }
        return sent;
    }

    /** Takes the next datagram; {@code WSAEMSGSIZE} after filling {@code buffer} with the head of a longer one. */
    @Override
    public int receive(ByteBuffer buffer, SOCKADDR from, boolean peek) throws WsaException {
        int room = buffer.remaining();
        Datagram d = received.take(buffer, peek);
        if (d == null) {
            throw new WsaException(WSAEWOULDBLOCK, "no datagram is queued; receive again after FD_READ");
        }
        if (from != null) {
            from.set(SOCKADDR.of(d.sender()));
        }
        int n = Math.min(room, d.length());
        // No FD_READ for what is still queued: the runtime re-reports it after this call (decision 31).
        if (n < d.length()) {
            throw new WsaException(WSAEMSGSIZE, "the datagram of " + d.length() + " bytes did not fit the "
                    + n + "-byte buffer; its first " + n + " bytes were delivered" + (peek ? "" : ", the rest discarded"));
        }
        return n;
    }

    @Override
    public int available() {
        return received.headLength();
    }

    /** {@code SIO_MULTIPOINT_LOOPBACK} ({@code Boolean}) and {@code SIO_MULTICAST_SCOPE} ({@code Integer} TTL). */
    @Override
    public void ioctl(int code, Object in, Object out) throws WsaException {
        if (code == SIO_MULTIPOINT_LOOPBACK) {
            if (!(in instanceof Boolean)) {
                throw new WsaException(WSAEINVAL, "SIO_MULTIPOINT_LOOPBACK takes a Boolean (BOOL) input, not " + in);
            }
            loopback = (Boolean) in;
        } else if (code == SIO_MULTICAST_SCOPE) {
            if (!(in instanceof Integer) || (Integer) in < 0 || (Integer) in > 255) {
                throw new WsaException(WSAEINVAL, "SIO_MULTICAST_SCOPE takes an Integer 0..255 (0 = this host, "
                        + "1 = local segment), not " + in);
            }
            try {
                applyScope(channel, settings, (Integer) in);
            } catch (IOException e) {
                throw SocketErrors.of(e, "setting the multicast scope");
            }
        } else {
            MultipointSocket.super.ioctl(code, in, out);
        }
    }

    /**
     * Sets the TTL, and where the datagrams leave: scope 0 ("this host only") leaves by the loopback interface,
     * since Linux drops TTL-0 multicast at output only for groups this host joined on the outgoing interface, and
     * otherwise sends it across the link (issue 13, measured on a veth pair); any other scope by the configured one.
     */
    private static void applyScope(DatagramChannel channel, MulticastSettings settings, int ttl) throws IOException {
        boolean confine = ttl == 0 && settings.confinesScopeZero();
        channel.setOption(StandardSocketOptions.IP_MULTICAST_IF,
                confine ? settings.loopbackInterface() : settings.networkInterface());
        channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, ttl);
    }

    /** The interface datagrams leave by now ({@code IP_MULTICAST_IF}). */
    java.net.NetworkInterface sendingInterface() throws IOException {
        return channel.getOption(StandardSocketOptions.IP_MULTICAST_IF);
    }

    /** Leaves the group (drops the membership) and closes both channels; idempotent. */
    @Override
    public void close() {
        MembershipKey leaving;
        DatagramChannel receiving;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            leaving = membership;
            receiving = groupChannel;
        }
        if (leaving != null) {
            leaving.drop();
        }
        closeQuietly(receiving);
        closeQuietly(channel);
        loop.wakeup(); // the selector deregisters the keys, which releases the descriptors
        received.close();
        context.ports().release(this);
        context.onClose().accept(this);
    }

    /**
     * The provider cannot go on: {@link #close}, then {@code FD_CLOSE} with {@code code}, so that an application
     * woken by it finds the socket's channels already released (posting first raced the close).
     */
    void abort(int code) {
        close();
        upcalls.post(FD_CLOSE_BIT, code);
    }

    /**
     * Loop thread: reads what arrived on {@code from} into the loop's reused {@code buffer}, drops what this host sent
     * when loopback is off, queues a copy within the budgets, and posts one {@code FD_READ} when this visit turned the
     * queue non-empty (decisions 28 and 31: level-triggered, and the runtime re-reports what a receive left queued,
     * so a post per datagram, or per visit to a queue already announced, is a runtime lock for nothing).
     * A throwable (the copy's {@code OutOfMemoryError})
     * leaves the datagram read and lost; the loop counts it with {@link #failedDatagram}, and those queued before it
     * are still announced.
     */
    void readable(DatagramChannel from, ByteBuffer buffer) {
        boolean news = false;
        try {
            for (int i = 0; i < READS_PER_WAKEUP; i++) {
                buffer.clear();
                InetSocketAddress sender;
                try {
                    sender = (InetSocketAddress) from.receive(buffer);
                } catch (IOException e) {
                    return; // closed under us
                }
                if (sender == null) {
                    return;
                }
                loop.afterReceive();
                if (!loopback && context.localSources().isLocal(sender.getAddress())) {
                    filtered.incrementAndGet();
                    continue;
                }
                news |= received.offer(sender, buffer.flip()) == ReceiveQueue.Offered.FIRST;
            }
        } finally {
            if (news) {
                upcalls.post(FD_READ_BIT, 0);
            }
        }
    }

    /** Loop thread: handling a datagram of this socket threw; it is lost and counted. */
    void failedDatagram() {
        received.countFailure();
    }

    /** Loop thread: send room returned after a refused send. */
    void writable() {
        upcalls.post(FD_WRITE_BIT, 0);
    }

    /** The address the receiving channel is bound to (the group and port), or null while not subscribed. */
    synchronized InetSocketAddress receivingEndpoint() {
        try {
            return groupChannel == null ? null : (InetSocketAddress) groupChannel.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    /** The receiving channel's {@code SO_RCVBUF} as the kernel applied it, or 0 while not subscribed. */
    synchronized int appliedReceiveBuffer() throws IOException {
        return groupChannel == null ? 0 : groupChannel.getOption(StandardSocketOptions.SO_RCVBUF);
    }

    /** Datagrams this socket dropped: its queue full, the provider's budget spent, or a failure. */
    long droppedDatagrams() {
        return received.dropped();
    }

    /** Datagrams queued for the application now. */
    long queuedDatagrams() {
        return received.size();
    }

    /** Bytes this socket holds of the provider's total now: its queued datagrams' cost and at most one unused step. */
    long queuedBytes() {
        return received.heldBytes();
    }

    /** Datagrams dropped because loopback was off and their source address is this host's. */
    long filteredDatagrams() {
        return filtered.get();
    }

    /** True while the socket holds a group membership. */
    synchronized boolean isSubscribed() {
        return membership != null && membership.isValid();
    }

    /** The channel's current {@code IP_MULTICAST_TTL} (the applied scope). */
    int multicastTtl() throws IOException {
        return channel.getOption(StandardSocketOptions.IP_MULTICAST_TTL);
    }

    /** True until {@link #close} (or deactivate) closed the channel. */
    boolean isChannelOpen() {
        return channel.isOpen();
    }

    /** Binds the channel; a fixed port is claimed first so that the sharing rule decides before the kernel. */
    private void bindTo(InetSocketAddress local, boolean reuse) throws WsaException {
        try {
            if (local.getPort() != 0) {
                context.ports().claim(this, local, reuse);
            }
            channel.bind(local);
            InetSocketAddress bound = (InetSocketAddress) channel.getLocalAddress();
            if (local.getPort() == 0) {
                context.ports().claim(this, bound, reuse); // the kernel picked a port nobody holds
            }
            localPort = bound.getPort();
        } catch (IOException e) {
            context.ports().release(this);
            throw SocketErrors.of(e, "binding to " + local);
        } catch (WsaException e) {
            context.ports().release(this);
            throw e;
        }
    }

    private synchronized void noteImplicitBind() {
        try {
            InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
            if (local != null && localPort == 0) {
                context.ports().claim(this, local, true); // the kernel's ephemeral port: nobody else holds it
                localPort = local.getPort();
            }
        } catch (IOException | WsaException e) {
            // Closed meanwhile: the port no longer matters.
        }
    }

    private InetSocketAddress defaultTarget() throws WsaException {
        InetSocketAddress target = defaultDestination;
        if (target != null) {
            return target;
        }
        target = group;
        if (target == null) {
            throw new WsaException(WSAENOTCONN, "send without a destination needs a joined group or a connected "
                    + "destination: call WSAJoinLeaf or connect first, or name the destination with sendto");
        }
        return target;
    }

    private InetSocketAddress destination(SOCKADDR to) throws WsaException {
        InetSocketAddress target = inFamily(to);
        if (to.isAny() || to.port == 0) {
            throw new WsaException(WSAEADDRNOTAVAIL, "cannot send to " + to + ": name a group (or host) and a port");
        }
        return target;
    }

    private InetSocketAddress inFamily(SOCKADDR address) throws WsaException {
        if (address.sa_family != family || !address.isWellFormed()) {
            throw new WsaException(WSAEAFNOSUPPORT, "address " + address + " is not of this socket's family ("
                    + (family == AF_INET ? "AF_INET" : "AF_INET6") + ")");
        }
        return address.toInetSocketAddress();
    }

    private StandardProtocolFamily protocolFamily() {
        return family == AF_INET6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    private InetAddress wildcard() {
        try {
            return InetAddress.getByAddress(new byte[family == AF_INET6 ? 16 : 4]);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen for 4 or 16 bytes
        }
    }

    private SelectionKey key() throws WsaException {
        if (key == null) {
            try {
                key = loop.register(channel, 0, this);
            } catch (IOException | ClosedSelectorException e) {
                throw new WsaException(WSAENETDOWN, "the multicast provider is stopping; create a new socket");
            }
        }
        return key;
    }

    private void ensureOpen() throws WsaException {
        if (closed || !channel.isOpen()) {
            throw new WsaException(WSAENETDOWN, "this socket was closed (the multicast provider may have stopped)");
        }
    }

    private static void closeQuietly(DatagramChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing a caller could do; the descriptor is released either way.
        }
    }
}
