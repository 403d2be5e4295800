package org.joinleaf.tcp.session;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.QOS;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.WSAPEERIDENTITY;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.ConnectionRequest;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.spi.WsaException;
import org.joinleaf.tcp.protocol.Frame;
import org.joinleaf.tcp.session.LimitCounters.Limit;
import org.joinleaf.tcp.tls.TlsContexts;

/**
 * A JOIN (on a listening root) or INVITE (on a listening leaf) waiting in a {@link RequestQueue} for the runtime's
 * {@code WSAAccept}. {@link #accept} lets the owning socket build the member socket, then answers ACCEPT;
 * {@link #reject} answers REJECT with {@code WSAECONNREFUSED} and closes the connection. A request the application
 * leaves unanswered for {@code joinTimeoutMillis} is dropped: REJECT with {@code WSAETIMEDOUT} (issue 11: a queued
 * JOIN holds its connection and place only that long).
 */
final class PendingRequest implements ConnectionRequest {

    /** The listening socket that turns an accepted request into a member socket. */
    interface Admission {
        /**
         * Creates the member socket and installs it on the request's connection, before ACCEPT is sent, so frames
         * the peer sends right after ACCEPT find it. Not yet visible to fan-out.
         *
         * @throws WsaException no place for it (decision 35): the caller is refused
         */
        ProviderSocket prepare(PendingRequest request, SocketUpcalls upcalls) throws WsaException;

        /**
         * Writes {@code accept} to the caller and makes the member visible to senders; ACCEPT must reach the
         * connection ahead of any DATA the member is sent.
         */
        void activate(ProviderSocket member, Frame.Accept accept);
    }

    private final Channel channel;
    private final SOCKADDR caller;
    private final InetAddress source;
    /** The caller's /16 and /24 (/48 and /64): the request queue serves networks and their prefixes in turn. */
    private final HandshakeGate.Prefix network;
    private final HandshakeGate.Prefix prefix;
    /** The caller's certificate identity from the finished TLS handshake, or null. */
    private final WSAPEERIDENTITY identity;
    private final Frame.Join opening;
    private final RequestQueue queue;
    private final Admission admission;
    private final int maxConnectData;
    private boolean answered;
    /** Answered by its own deadline: to the application it is withdrawn. */
    private boolean expired;
    private volatile ScheduledFuture<?> deadline;

    PendingRequest(Channel channel, Frame.Join opening, RequestQueue queue, Admission admission,
                   int maxConnectData) {
        this.channel = channel;
        this.caller = TcpSocket.sockaddr(channel.remoteAddress());
        this.source = TcpTransport.sourceOf(channel.remoteAddress());
        this.network = HandshakeGate.Prefix.network(source);
        this.prefix = HandshakeGate.Prefix.of(source);
        this.identity = TlsContexts.peerIdentity(channel);
        this.opening = opening;
        this.queue = queue;
        this.admission = admission;
        this.maxConnectData = maxConnectData;
    }

    /**
     * Starts the request's own deadline, on its connection's loop: unanswered after {@code timeoutMillis}, it leaves
     * the queue and the caller gets REJECT(WSAETIMEDOUT). Call once it is queued.
     */
    void armDeadline(int timeoutMillis, LimitCounters counters) {
        deadline = channel.eventLoop().schedule(() -> {
            synchronized (this) {
                if (answered) {
                    return;
                }
                answered = true;
                expired = true;
            }
            queue.remove(this);
            counters.refused(Limit.REQUEST_DEADLINE, () -> "dropped the request of " + caller + " with "
                    + "WSAETIMEDOUT: the application did not accept it within joinTimeoutMillis (" + timeoutMillis
                    + " ms)");
            answer(Winsock2.WSAETIMEDOUT);
        }, timeoutMillis, TimeUnit.MILLISECONDS);
    }

    private void stopDeadline() {
        ScheduledFuture<?> d = deadline;
        if (d != null) {
            d.cancel(false);
        }
    }

    /** REJECT with {@code code} (what the caller reports), then close. */
    private void answer(int code) {
        PeerChannelHandler.rejectAndClose(channel, code);
    }

    /** The caller's IP address. */
    InetAddress source() {
        return source;
    }

    HandshakeGate.Prefix network() {
        return network;
    }

    HandshakeGate.Prefix prefix() {
        return prefix;
    }

    Channel channel() {
        return channel;
    }

    /** The caller's {@code JL_*} direction as a leaf. */
    int direction() {
        return opening.direction();
    }

    @Override
    public SOCKADDR callerAddress() {
        return new SOCKADDR().set(caller);
    }

    @Override
    public WSAPEERIDENTITY callerIdentity() {
        return identity;
    }

    @Override
    public byte[] callerData() {
        return opening.callerData().length == 0 ? null : opening.callerData().clone();
    }

    @Override
    public QOS callerQos() {
        return opening.qos() == null ? null : new QOS(opening.qos());
    }

    @Override
    public int calleeDataCapacity() {
        return maxConnectData;
    }

    @Override
    public ProviderSocket accept(byte[] calleeData, SocketUpcalls upcalls) throws WsaException {
        byte[] data = calleeData == null ? new byte[0] : calleeData.clone();
        if (data.length > maxConnectData) {
            throw new WsaException(Winsock2.WSAEFAULT, "callee data of " + data.length
                    + " bytes exceeds this provider's limit of " + maxConnectData + " (maxConnectData)");
        }
        synchronized (this) {
            if (answered && !expired) {
                throw new WsaException(Winsock2.WSAEINVAL, "this request was already accepted or rejected");
            }
            if (expired || !channel.isActive()) {
                answered = true;
                queue.remove(this);
                throw new WsaException(Winsock2.WSAECONNRESET, "the caller " + caller
                        + " withdrew its request (closed or timed out) while it waited; accept the next one");
            }
            answered = true;
        }
        stopDeadline();
        // The link exists before the request leaves the queue, so maxLeavesPerRoot never sees a gap to slip through.
        ProviderSocket member;
        try {
            member = admission.prepare(this, upcalls);
        } catch (WsaException e) {
            queue.remove(this);
            answer(Winsock2.WSAECONNREFUSED);
            throw e;
        }
        queue.remove(this);
        admission.activate(member, new Frame.Accept(data));
        return member;
    }

    @Override
    public void reject() {
        refuse();
    }

    /** {@link #reject}; false when it was already answered (the application accepted it meanwhile). */
    boolean refuse() {
        synchronized (this) {
            if (answered) {
                return false;
            }
            answered = true;
        }
        stopDeadline();
        queue.remove(this);
        answer(Winsock2.WSAECONNREFUSED);
        return true;
    }

    /** The connection ended before an answer: leave the queue (a later accept fails with WSAECONNRESET). */
    void withdraw() {
        stopDeadline();
        queue.remove(this);
    }
}
