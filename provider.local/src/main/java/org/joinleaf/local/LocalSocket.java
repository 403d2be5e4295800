package org.joinleaf.local;

import java.nio.ByteBuffer;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.ConnectionRequest;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.spi.WsaException;

/**
 * What every local socket shares: its address, its bounded receive queue, the multipoint ioctls, receiving, and
 * closing. Subclasses say how sending, joining and leaving work for their role.
 */
abstract class LocalSocket implements ProviderSocket {
    /** Requests queued while listening (a c_root for leaves, a c_leaf for invitations); null until listen. */
    private volatile RequestQueue backlog;

    /** {@link #endCode} while the socket is not (or no longer) cut off from its session. */
    static final int NOT_ENDED = -1;

    final LocalNetwork network;
    final SessionKind kind;
    final int family;
    final SocketUpcalls upcalls;
    final MessageQueue inbox;

    private SOCKADDR local; // guarded by this
    private boolean ownsAddress; // guarded by this
    private volatile boolean loopback = true;
    private volatile int multicastScope = 1;
    private volatile boolean reuseAddress;
    private volatile boolean closed;
    /** 0 after a graceful end of the session, a Winsock code after an abortive one, else {@link #NOT_ENDED}. */
    private volatile int endCode = NOT_ENDED;

    LocalSocket(LocalNetwork network, SessionKind kind, int family, SocketUpcalls upcalls) {
        this.network = network;
        this.kind = kind;
        this.family = family;
        this.upcalls = upcalls;
        this.inbox = new MessageQueue(network.settings.receiveQueueMessages(),
                network.settings.receiveLimits().perSocketBytes());
    }

    @Override
    public void bind(SOCKADDR name) throws WsaException {
        network.checkUp();
        synchronized (this) {
            if (local != null) {
                throw new WsaException(Winsock2.WSAEINVAL, "socket is already bound to " + local);
            }
            local = network.addresses.bind(this, name, reuseAddress);
            ownsAddress = true;
        }
    }

    /** The implicit bind of a join or send on an unbound socket (§3 R10). */
    void ensureBound() throws WsaException {
        synchronized (this) {
            if (local != null) {
                return;
            }
            local = network.addresses.bind(this, SOCKADDR.any(family, 0), false);
            ownsAddress = true;
        }
    }

    /** Gives a socket created by an accept or a root join the address of the socket it came from, without owning it. */
    synchronized void shareAddress(SOCKADDR address) {
        local = new SOCKADDR().set(address);
    }

    @Override
    public synchronized SOCKADDR localAddress() {
        return local == null ? null : new SOCKADDR().set(local);
    }

    boolean loopback() {
        return loopback;
    }

    int multicastScope() {
        return multicastScope;
    }

    boolean isClosed() {
        return closed;
    }

    int endCode() {
        return endCode;
    }

    /** Marks the session over for this socket; the first code wins. */
    void end(int code) {
        if (endCode == NOT_ENDED) {
            endCode = code;
        }
    }

    /** The synchronous error of a send on a socket whose session is over: the code its FD_CLOSE carried. */
    WsaException ended() {
        int code = endCode;
        return code == 0
                ? new WsaException(Winsock2.WSAENOTCONN, "the multipoint session ended gracefully; create a new socket")
                : new WsaException(code, "this socket was cut off from its multipoint session; create a new socket");
    }

    /**
     * Queues {@code m} and announces it with {@code FD_READ}; false when the queue is full. The caller has charged the
     * provider's {@link ReceiveBudget} and gives the charge back on false.
     */
    boolean deliver(Message m, Outbox out) {
        if (closed || !inbox.offer(m)) {
            return false;
        }
        out.post(upcalls, Winsock2.FD_READ_BIT, 0);
        return true;
    }

    @Override
    public int receive(ByteBuffer buffer, SOCKADDR from, boolean peek) throws WsaException {
        Outbox out = network.outbox();
        try {
            Message m = peek ? inbox.peek() : inbox.poll(out);
            if (m != null && !peek) {
                network.budget.release(ReceiveLimits.cost(m.data().length), out);
            }
            if (m == null) {
                int code = endCode;
                if (code == 0) {
                    return 0;
                }
                if (code != NOT_ENDED) {
                    throw ended();
                }
                throw new WsaException(Winsock2.WSAEWOULDBLOCK, "no message queued; wait for FD_READ");
            }
            if (from != null && m.from() != null) {
                from.set(m.from());
            }
            int n = Math.min(buffer.remaining(), m.data().length);
            buffer.put(m.data(), 0, n);
            if (!peek && inbox.size() > 0) {
                out.post(upcalls, Winsock2.FD_READ_BIT, 0); // level-triggered: more is waiting
            }
            if (n < m.data().length) {
                throw new WsaException(Winsock2.WSAEMSGSIZE, "message of " + m.data().length
                        + " bytes truncated to the " + n + "-byte buffer" + (peek ? "" : "; the rest is discarded"));
            }
            return n;
        } finally {
            out.flush();
        }
    }

    @Override
    public int available() {
        Message m = inbox.peek();
        return m == null ? 0 : m.data().length;
    }

    @Override
    public void ioctl(int code, Object in, Object out) throws WsaException {
        switch (code) {
            case Winsock2.SIO_MULTIPOINT_LOOPBACK:
                if (!(in instanceof Boolean)) {
                    throw new WsaException(Winsock2.WSAEINVAL, "SIO_MULTIPOINT_LOOPBACK takes a Boolean");
                }
                loopback = (Boolean) in;
                return;
            case Winsock2.SIO_MULTICAST_SCOPE:
                if (!(in instanceof Integer) || (Integer) in < 0) {
                    throw new WsaException(Winsock2.WSAEINVAL, "SIO_MULTICAST_SCOPE takes an Integer >= 0");
                }
                multicastScope = (Integer) in;
                return;
            case Winsock2.SIO_SET_QOS:
            case Winsock2.SIO_GET_QOS:
            case Winsock2.SIO_SET_GROUP_QOS:
            case Winsock2.SIO_GET_GROUP_QOS:
                throw new WsaException(Winsock2.WSAEOPNOTSUPP, "the local provider has no QoS");
            default:
                ProviderSocket.super.ioctl(code, in, out);
        }
    }

    /**
     * {@code setsockopt} (issue 13), as provider.multicast takes it: {@code SO_REUSEADDR} ({@code Boolean}, before
     * bind), {@code SO_RCVBUF} ({@code Integer} bytes: this socket's receive queue, which stands for the kernel buffer
     * here, lowered to at most {@code receiveQueueBytes}; 0 = that default), {@code IP_MULTICAST_LOOP} /
     * {@code IPV6_MULTICAST_LOOP} (as {@code SIO_MULTIPOINT_LOOPBACK}) and {@code IP_MULTICAST_TTL} /
     * {@code IPV6_MULTICAST_HOPS} (as {@code SIO_MULTICAST_SCOPE}); anything else {@code WSAENOPROTOOPT}.
     */
    @Override
    public void setOption(int level, int optname, Object value) throws WsaException {
        boolean v6 = family == Winsock2.AF_INET6;
        int ipLevel = v6 ? Winsock2.IPPROTO_IPV6 : Winsock2.IPPROTO_IP;
        if (level == Winsock2.SOL_SOCKET && optname == Winsock2.SO_REUSEADDR) {
            if (!(value instanceof Boolean)) {
                throw new WsaException(Winsock2.WSAEINVAL, "SO_REUSEADDR takes a Boolean (BOOL), not " + value);
            }
            reuseAddress = (Boolean) value;
        } else if (level == Winsock2.SOL_SOCKET && optname == Winsock2.SO_RCVBUF) {
            if (!(value instanceof Integer) || (Integer) value < 0) {
                throw new WsaException(Winsock2.WSAEINVAL, "SO_RCVBUF takes an Integer >= 0 (bytes), not " + value);
            }
            long configured = network.settings.receiveLimits().perSocketBytes();
            int bytes = (Integer) value;
            inbox.limitBytes(bytes == 0 ? configured : Math.min(configured, bytes));
        } else if (level == ipLevel && optname == (v6 ? Winsock2.IPV6_MULTICAST_LOOP : Winsock2.IP_MULTICAST_LOOP)) {
            ioctl(Winsock2.SIO_MULTIPOINT_LOOPBACK, value, null);
        } else if (level == ipLevel && optname == (v6 ? Winsock2.IPV6_MULTICAST_HOPS : Winsock2.IP_MULTICAST_TTL)) {
            ioctl(Winsock2.SIO_MULTICAST_SCOPE, value, null);
        } else {
            throw new WsaException(Winsock2.WSAENOPROTOOPT, "option " + optname + " at level 0x"
                    + Integer.toHexString(level) + " is not offered by the local provider (SO_REUSEADDR, SO_RCVBUF, "
                    + "IP_MULTICAST_LOOP, IP_MULTICAST_TTL and their IPv6 forms are)");
        }
    }

    /**
     * {@code getsockopt} (issue 13, decision 26): the values in effect. {@code SO_RCVBUF} is the receive queue's bound
     * (what was set, lowered to {@code receiveQueueBytes}); loopback, scope and {@code SO_REUSEADDR} as this socket
     * applies them.
     */
    @Override
    public Object getOption(int level, int optname) {
        boolean v6 = family == Winsock2.AF_INET6;
        int ipLevel = v6 ? Winsock2.IPPROTO_IPV6 : Winsock2.IPPROTO_IP;
        if (level == Winsock2.SOL_SOCKET && optname == Winsock2.SO_RCVBUF) {
            return (int) Math.min(inbox.limit(), Integer.MAX_VALUE);
        } else if (level == Winsock2.SOL_SOCKET && optname == Winsock2.SO_REUSEADDR) {
            return reuseAddress;
        } else if (level == ipLevel && optname == (v6 ? Winsock2.IPV6_MULTICAST_LOOP : Winsock2.IP_MULTICAST_LOOP)) {
            return loopback;
        } else if (level == ipLevel && optname == (v6 ? Winsock2.IPV6_MULTICAST_HOPS : Winsock2.IP_MULTICAST_TTL)) {
            return multicastScope;
        }
        return null;
    }

    @Override
    public final void close() {
        synchronized (this) { // the runtime's close may race the provider's deactivate
            if (closed) {
                return;
            }
            closed = true;
        }
        Outbox out = network.outbox();
        leave(out);
        network.budget.release(inbox.drain(), out);
        inbox.wakeBlockedSenders(out);
        SOCKADDR address;
        synchronized (this) {
            address = ownsAddress ? local : null;
        }
        if (address != null) {
            network.addresses.release(this, address);
        }
        network.forget(this);
        out.flush();
    }

    /** Leaves the session, withdraws pending joins and answers queued requests; upcalls go to {@code out}. */
    abstract void leave(Outbox out);

    /** listen's common part: the backlog is created once; a second listen keeps it. Caller holds the monitor. */
    final void openBacklog(int backlogSize) {
        if (backlog == null) {
            backlog = new RequestQueue(this, backlogSize);
        }
    }

    @Override
    public final boolean isListening() {
        return backlog != null;
    }

    final RequestQueue backlog() {
        return backlog;
    }

    @Override
    public final ConnectionRequest pendingRequest() {
        RequestQueue b = backlog;
        return b == null ? null : b.peek();
    }
}
