package org.joinleaf.tcp.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Set;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.WSAError;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.ConnectionRequest;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.spi.WsaException;
import org.joinleaf.tcp.protocol.Frame;
import org.joinleaf.tcp.protocol.FrameCodec;
import org.joinleaf.tcp.session.LimitCounters.Limit;

/**
 * What c_root and c_leaf sockets share: binding, listening with a bounded request queue, the
 * {@code SIO_MULTIPOINT_LOOPBACK} switch, and the limits checked before anything goes on the wire.
 *
 * <p>Binding is done at once on the calling thread with a server socket of the transport in use, a
 * {@link Reservation} (a local syscall, so {@code WSAEADDRINUSE} is synchronous); {@code listen} hands that socket to
 * Netty, a join gives it up and connects from the same address instead.
 */
abstract class TcpSocket implements MultipointSocket {
    final TcpTransport transport;
    final int family;
    final boolean rootedData;
    final SocketUpcalls upcalls;
    final InboundQueue inbound;
    /** Flowspec QoS: grant, ioctls, FD_QOS and send pacing. */
    final SocketQos qos;
    /** The socket's catalog entry advertises XP1_QOS_SUPPORTED; members and links it creates inherit it. */
    final boolean qosCapable;
    /** Set once by close(); event-loop callbacks check it before reporting anything. */
    volatile boolean closed;
    /** This socket's wake-up once a provider-wide send budget that refused it has room (decision 50). */
    private final Runnable budgetRoom = this::onBudgetRoom;
    private volatile boolean loopback = true;
    private Reservation reserved;
    private InetSocketAddress bound;
    private Channel listener;
    private RequestQueue requests;

    TcpSocket(TcpTransport transport, int family, boolean rootedData, boolean qosCapable, SocketUpcalls upcalls,
              int direction) {
        this.transport = transport;
        this.family = family;
        this.rootedData = rootedData;
        this.qosCapable = qosCapable;
        this.upcalls = upcalls;
        this.inbound = transport.newInboundQueue();
        this.qos = transport.newSocketQos(qosCapable, upcalls, direction);
    }

    /** The handler of a connection accepted while listening. */
    abstract PeerChannelHandler newPassiveHandler();

    @Override
    public synchronized void bind(SOCKADDR name) throws WsaException {
        if (bound != null) {
            throw new WsaException(Winsock2.WSAEINVAL, "socket is already bound to " + bound);
        }
        Reservation ch = null;
        try {
            ch = transport.reserve(name.toInetSocketAddress());
            reserved = ch;
            bound = ch.localAddress();
        } catch (SocketException e) {
            closeQuietly(ch);
            int code = ErrorCodes.bindFailure(e);
            throw new WsaException(code, "cannot bind " + name + ": " + e.getMessage()
                    + (code == Winsock2.WSAEADDRINUSE ? "; pick another port or close the socket using it"
                    : "; use an address of this host"));
        } catch (IOException e) {
            closeQuietly(ch);
            throw new WsaException(Winsock2.WSAENOBUFS, "cannot bind " + name + ": " + e);
        }
    }

    /** The bound address, or {@code null}. */
    synchronized InetSocketAddress boundAddress() {
        return bound;
    }

    @Override
    public SOCKADDR localAddress() {
        InetSocketAddress b = boundAddress();
        return b == null ? null : SOCKADDR.of(b);
    }

    @Override
    public void listen(int backlog) throws WsaException {
        synchronized (this) {
            if (closed) {
                throw new WsaException(Winsock2.WSAENOTSOCK, "socket is closed");
            }
            if (listener != null) {
                return; // Winsock allows listen again; the queue keeps its first bound
            }
            if (bound == null) {
                throw new WsaException(Winsock2.WSAEINVAL, "listen needs a bound socket; call bind first");
            }
            int capacity = Math.max(1, Math.min(backlog, transport.settings().backlog()));
            requests = new RequestQueue(capacity, upcalls);
            listener = transport.listen(reserved, this::newPassiveHandler);
            reserved = null;
        }
    }

    @Override
    public synchronized boolean isListening() {
        return listener != null;
    }

    @Override
    public ConnectionRequest pendingRequest() {
        RequestQueue q;
        synchronized (this) {
            q = requests;
        }
        return q == null ? null : q.head();
    }

    /** Several threads' WSAAccept calls each take their own request (decision 39). */
    @Override
    public ConnectionRequest pendingRequest(Set<ConnectionRequest> deciding) {
        RequestQueue q;
        synchronized (this) {
            q = requests;
        }
        return q == null ? null : q.head(deciding);
    }

    /**
     * Queues the opening frame of a passive connection as a request. Refuses it (REJECT, never queued) when its
     * source is over {@code maxJoinRatePerSource}, the request queue is full, or the socket has {@link #maxLinks()};
     * a queued one is dropped if the application does not answer it within {@code joinTimeoutMillis}.
     */
    PendingRequest queueRequest(Channel channel, Frame.Join opening, PendingRequest.Admission admission) {
        RequestQueue q;
        synchronized (this) {
            q = requests;
        }
        PendingRequest request = new PendingRequest(channel, opening, q, admission,
                transport.settings().maxConnectData());
        if (closed || !transport.joinWithinRate(channel)) {
            request.reject();
            return request;
        }
        RequestQueue.Offer offer = q.offer(request, links(), maxLinks());
        if (offer.refused() == Limit.LEAVES_PER_ROOT && yieldsTo(request)) {
            offer = q.offer(request, 0, Integer.MAX_VALUE); // a place is made when it is accepted (decision 35)
        }
        Limit over = offer.refused();
        refuseDropped(offer.dropped(), channel);
        if (over != null) {
            transport.counters().refused(over, () -> "refused a request from " + channel.remoteAddress()
                    + " with WSAECONNREFUSED: " + (over == Limit.REQUEST_QUEUE
                    ? q.capacity() + " requests already wait for WSAAccept (listen backlog, capped by backlog)"
                    : links() + " links and queued requests reach maxLeavesPerRoot (" + maxLinks() + ")"));
            request.reject();
        } else {
            request.armDeadline(transport.settings().joinTimeoutMillis(), transport.counters());
        }
        return request;
    }

    /** Decision 42: {@code dropped} (from the busiest network) gave its place in the full queue to a request. */
    private void refuseDropped(PendingRequest dropped, Channel caller) {
        if (dropped != null && dropped.refuse()) {
            transport.counters().refused(Limit.REQUEST_QUEUE, () -> "refused the request of " + dropped.callerAddress()
                    + " with WSAECONNREFUSED: the request queue was full and its network has the most requests; "
                    + caller.remoteAddress() + " takes its place (decision 42)");
        }
    }

    /**
     * True when every place is taken but a member from a busier network would give way to {@code request}'s caller
     * (a root, decision 35): the request is queued over {@link #maxLinks()}, at most the queue's capacity.
     */
    boolean yieldsTo(PendingRequest request) {
        return false;
    }

    /** Links this listening socket made (a root's c_leaf links); none for a listening leaf. */
    int links() {
        return 0;
    }

    /** The most links plus queued requests this socket may have. */
    int maxLinks() {
        return Integer.MAX_VALUE;
    }

    /** Requests waiting for WSAAccept now (0 when not listening). */
    int queuedRequests() {
        RequestQueue q;
        synchronized (this) {
            q = requests;
        }
        return q == null ? 0 : q.size();
    }

    /** A join connects from the explicitly bound address, if any; the reservation is given up for it. */
    synchronized InetSocketAddress takeBindingForConnect() {
        closeQuietly(reserved);
        reserved = null;
        return bound;
    }

    /** Closes the listener (if any) and refuses every queued request. */
    void closeListener() {
        Channel l;
        RequestQueue q;
        synchronized (this) {
            l = listener;
            q = requests;
            listener = null;
            closeQuietly(reserved);
            reserved = null;
        }
        if (l != null) {
            l.close();
        }
        if (q != null) {
            for (PendingRequest r : q.drain()) {
                r.reject();
            }
        }
    }

    @Override
    public void ioctl(int code, Object in, Object out) throws WsaException {
        if (qos.ioctl(code, in, out)) {
            return;
        }
        if (code != Winsock2.SIO_MULTIPOINT_LOOPBACK) {
            MultipointSocket.super.ioctl(code, in, out);
            return;
        }
        if (!(in instanceof Boolean)) {
            throw new WsaException(Winsock2.WSAEFAULT, "SIO_MULTIPOINT_LOOPBACK takes a Boolean input");
        }
        loopback = (Boolean) in;
    }

    /** True when this socket's own sends are also delivered to itself (non-rooted data, loopback on). */
    boolean loopsBack() {
        return !rootedData && loopback;
    }

    /** WSAEMSGSIZE over the configured limit; returns the message length. */
    /**
     * A waitable WSAENOBUFS while a provider-wide send budget is full for a DATA frame of {@code length} bytes
     * ({@link OutboundBudget#check}): this socket is then owed an FD_WRITE when the budget has room.
     */
    void checkOutbound(int length) throws WsaException {
        transport.outbound().check(FrameCodec.HEADER + length, budgetRoom);
    }

    private void onBudgetRoom() {
        if (!closed) {
            upcalls.post(Winsock2.FD_WRITE_BIT, 0);
        }
    }

    int checkMessageSize(ByteBuffer message) throws WsaException {
        int length = message.remaining();
        if (length > transport.settings().maxMessageSize()) {
            throw new WsaException(Winsock2.WSAEMSGSIZE, "message of " + length + " bytes exceeds maxMessageSize ("
                    + transport.settings().maxMessageSize() + "); split it or raise the limit");
        }
        return length;
    }

    /** Checks caller data and family before anything goes on the wire (§3 R4, R6). */
    /**
     * The provider's own part of a join's checks: its connect-data limit (R4). The runtime has already refused
     * ADDR_ANY (R5) and a family that does not suit the socket (R6), as the SPI promises.
     */
    byte[] checkJoin(byte[] callerData) throws WsaException {
        byte[] data = callerData == null ? new byte[0] : callerData;
        int max = transport.settings().maxConnectData();
        if (data.length > max) {
            throw new WsaException(Winsock2.WSAEFAULT, "caller data of " + data.length
                    + " bytes exceeds this provider's limit of " + max + " (maxConnectData)");
        }
        return data;
    }

    /**
     * Queues a message that arrived on {@code channel} (event loop) and posts FD_READ when the queue was empty: the
     * runtime re-reports FD_READ after each receive that leaves messages queued, so a post per message would only
     * wake the application's threads once per message while data keeps arriving.
     */
    void deliver(ByteBuf payload, SOCKADDR from, Channel channel) {
        deliver(payload, payload.readerIndex(), payload.readableBytes(), from, channel);
    }

    /** As {@link #deliver(ByteBuf, SOCKADDR, Channel)} for {@code length} bytes of {@code buf} from {@code index}. */
    void deliver(ByteBuf buf, int index, int length, SOCKADDR from, Channel channel) {
        if (inbound.add(ReceivedChunk.of(buf, index, length, from), channel)) {
            postRead();
        }
    }

    /**
     * As {@link #deliver(ByteBuf, SOCKADDR, Channel)} for {@code count} whole DATA frames of one read, {@code length}
     * bytes of {@code buf} from {@code index}: copied out with one copy and queued in one step (decision 55).
     */
    void deliverFrames(ByteBuf buf, int index, int length, int count, SOCKADDR from, Channel channel) {
        if (inbound.add(ReceivedChunk.chain(buf, index, length, count, from), channel)) {
            postRead();
        }
    }

    /** After a send: delivers the socket's own message to itself when {@link #loopsBack()}. */
    void loopBack(ByteBuffer message) {
        if (loopsBack()) {
            SOCKADDR self = localAddress();
            if (inbound.add(ReceivedChunk.of(message, self == null ? new SOCKADDR() : self), null)) {
                postRead();
            }
        }
    }

    @Override
    public int available() {
        return inbound.available();
    }

    private void postRead() {
        if (!closed) {
            upcalls.post(Winsock2.FD_READ_BIT, 0);
        }
    }

    static SOCKADDR sockaddr(SocketAddress address) {
        return address instanceof InetSocketAddress isa ? SOCKADDR.of(isa) : new SOCKADDR();
    }

    static String describe(int code) {
        return WSAError.describe(code);
    }

    private static void closeQuietly(Reservation ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }
}
