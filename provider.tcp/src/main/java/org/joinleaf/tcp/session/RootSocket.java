package org.joinleaf.tcp.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.ConnectCompletion;
import org.joinleaf.spi.ConnectRequest;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.spi.WsaException;
import org.joinleaf.tcp.protocol.Frame;
import org.joinleaf.tcp.protocol.FrameCodec;
import org.joinleaf.tcp.session.LimitCounters.Limit;

/**
 * A c_root socket: admits leaves that JOIN while it listens, invites listening leaves with {@link #join}, sends to
 * every receiving leaf (one encoded frame, a retained duplicate per leaf), and receives from every leaf with the
 * sender named. With a non-rooted data plane it also relays each leaf's message to the other receiving leaves.
 *
 * <p>Pitfalls: fan-out never waits for a slow leaf; see {@link SlowLeafPolicy}. Member sets are concurrent because
 * sends run on application threads while joins and leaves happen on event loops.
 */
final class RootSocket extends TcpSocket {
    /** Every c_leaf of this root, inviting or joined, so close() reaches them all. */
    private final Set<LeafLink> links = ConcurrentHashMap.newKeySet();
    /** Joined leaves: the fan-out set. */
    private final Set<LeafLink> members = ConcurrentHashMap.newKeySet();
    /** Fan-out batching per event loop of the members; at most one entry per loop of the transport. */
    private final Map<EventLoop, LoopFanout> loops = new ConcurrentHashMap<>();
    /** BLOCK_SENDER refused a send: FD_WRITE is owed once every receiving leaf is writable. */
    private volatile boolean owesWrite;

    RootSocket(TcpTransport transport, int family, boolean rootedData, boolean qosCapable, SocketUpcalls upcalls) {
        super(transport, family, rootedData, qosCapable, upcalls, Winsock2.JL_BOTH);
    }

    @Override
    PeerChannelHandler newPassiveHandler() {
        return RootChannelHandler.passive(this);
    }

    /** A JOIN arrived on a listening root (event loop): queue it for WSAAccept. */
    PendingRequest onJoinRequest(Channel channel, Frame.Join join, RootChannelHandler handler) {
        return queueRequest(channel, join, new PendingRequest.Admission() {
            @Override
            public ProviderSocket prepare(PendingRequest request, SocketUpcalls given) {
                SocketUpcalls linkUpcalls = SafeUpcalls.of(given, transport.counters());
                LeafLink link = new LeafLink(RootSocket.this, linkUpcalls, request.direction(),
                        request.callerAddress(), linkQos(linkUpcalls, leafDirection(request.direction())));
                link.attach(request.channel());
                links.add(link);
                handler.becomeMember(request.channel(), link);
                return link;
            }

            @Override
            public void activate(ProviderSocket member) {
                if (closed) {
                    ((LeafLink) member).sessionEnded();
                } else {
                    members.add((LeafLink) member);
                }
            }
        });
    }

    /** Root-initiated join (§1.4 way 1): invites the listening leaf named by {@code request}. */
    @Override
    public ProviderSocket join(ConnectRequest request, ConnectCompletion completion) throws WsaException {
        SOCKADDR leaf = request.name();
        byte[] callerData = checkJoin(request.callerData());
        if (closed) {
            throw new WsaException(Winsock2.WSAENOTSOCK, "the c_root socket is closed");
        }
        if (links() + queuedRequests() >= maxLinks()) {
            String detail = "the c_root has " + links() + " leaves and " + queuedRequests()
                    + " queued joins: maxLeavesPerRoot (" + maxLinks() + ") reached";
            transport.counters().refused(Limit.LEAVES_PER_ROOT, "refused an invitation of " + leaf + ": " + detail);
            throw new WsaException(Winsock2.WSAENOBUFS, detail + "; close a leaf or raise maxLeavesPerRoot");
        }
        SocketUpcalls linkUpcalls = SafeUpcalls.of(request.newSocketUpcalls(), transport.counters());
        SocketQos linkQos = linkQos(linkUpcalls, request.direction());
        linkQos.join(request.qos(), request.direction()); // refused: nothing taken, no invitation sent
        LeafLink link = new LeafLink(this, linkUpcalls, leafDirection(request.direction()), leaf,
                linkQos);
        JoinAttempt attempt = new JoinAttempt(completion);
        link.inviting(attempt);
        links.add(link);
        Frame.Join invite = new Frame.Join(true, FrameCodec.VERSION, leafDirection(request.direction()), callerData,
                request.qos());
        attempt.start(transport, transport.bootstrap(RootChannelHandler.inviting(this, link)),
                leaf.toInetSocketAddress(), null, invite);
        return link;
    }

    @Override
    int links() {
        return links.size();
    }

    @Override
    int maxLinks() {
        return transport.settings().maxLeavesPerRoot();
    }

    /**
     * The QoS of a c_leaf socket of this root, judged from the root's side ({@code rootDirection}). It admits and
     * reports a flow but paces nothing: the link carries no data; the session's data is paced by the c_root's own
     * flowspec ({@code SIO_SET_QOS} on the c_root).
     */
    private SocketQos linkQos(SocketUpcalls linkUpcalls, int rootDirection) {
        return transport.newSocketQos(qosCapable, linkUpcalls, rootDirection);
    }

    /** An invited leaf accepted (event loop). */
    void onInviteAccepted(LeafLink link) {
        if (closed) {
            link.sessionEnded();
        } else {
            members.add(link);
        }
    }

    /** The root's {@code JL_*} flag says what the root does towards the leaf; the frame carries the leaf's view. */
    private static int leafDirection(int rootDirection) {
        switch (rootDirection) {
            case Winsock2.JL_SENDER_ONLY:
                return Winsock2.JL_RECEIVER_ONLY;
            case Winsock2.JL_RECEIVER_ONLY:
                return Winsock2.JL_SENDER_ONLY;
            default:
                return Winsock2.JL_BOTH;
        }
    }

    @Override
    public int send(ByteBuffer message, SOCKADDR to) throws WsaException {
        int length = checkMessageSize(message);
        if (closed) {
            throw new WsaException(Winsock2.WSAENOTSOCK, "the c_root socket is closed");
        }
        if (transport.settings().slowLeafPolicy() == SlowLeafPolicy.BLOCK_SENDER) {
            refuseWhileAnyLeafIsFull();
        }
        transport.outbound().check((long) (FrameCodec.HEADER + length) * receivers()); // WSAENOBUFS over the cap
        qos.pay(length); // the c_root's sending flow: each message counts once, however many leaves get it
        fanOut(FrameCodec.encodeData(transport.allocator(), message), null);
        loopBack(message);
        return length;
    }

    private boolean anyLoopBehind() {
        for (LoopFanout l : loops.values()) {
            if (l.behind()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Frames still queued for a leaf's event loop are not yet in its write buffer: a loop that is behind refuses
     * like a full leaf (EVICT never refuses; there maxQueuedBytes, charged at send, bounds the loops' queues).
     */
    private void refuseWhileAnyLeafIsFull() throws WsaException {
        owesWrite = true; // set first: a leaf or loop getting room right after the check still pays the FD_WRITE
        if (anyLoopBehind()) {
            throw new WsaException(Winsock2.WSAEWOULDBLOCK,
                    "the provider's event loops are still writing earlier messages to the leaves; wait for FD_WRITE");
        }
        LeafLink full = firstUnwritableReceiver();
        if (full != null) {
            throw new WsaException(Winsock2.WSAEWOULDBLOCK, "leaf " + full.peerAddress()
                    + " cannot keep up (write buffer above the high water mark); wait for FD_WRITE");
        }
        owesWrite = false;
    }

    private int receivers() {
        int n = 0;
        for (LeafLink m : members) {
            if (m.receives()) {
                n++;
            }
        }
        return n;
    }

    private LeafLink firstUnwritableReceiver() {
        for (LeafLink m : members) {
            if (m.receives() && !m.writable()) {
                return m;
            }
        }
        return null;
    }

    /**
     * Writes one encoded DATA frame to every receiving member except {@code except}, and releases it: one task per
     * event loop (see {@link LoopFanout}). A member whose backlog is already over twice the high water mark is
     * evicted instead: memory stays bounded and the others are not held up.
     */
    private void fanOut(ByteBuf frame, LeafLink except) {
        long limit = 2L * transport.settings().writeBufferHighWaterMark();
        Map<EventLoop, List<LeafLink>> byLoop = new IdentityHashMap<>();
        try {
            for (LeafLink m : members) {
                if (m == except || !m.receives()) {
                    continue;
                }
                if (!m.writable() && m.pendingBytes() > limit) {
                    m.evict("its backlog passed twice the high water mark (" + limit + " bytes)", System.nanoTime());
                    continue;
                }
                byLoop.computeIfAbsent(m.channel().eventLoop(), loop -> new ArrayList<>()).add(m);
            }
            byLoop.forEach((loop, leaves) -> loops.computeIfAbsent(loop, this::newLoopFanout).submit(frame, leaves));
        } finally {
            frame.release();
        }
    }

    /** A quarter of the high water mark: a leaf's buffer plus its loop's backlog stay under the eviction bound. */
    private LoopFanout newLoopFanout(EventLoop loop) {
        return new LoopFanout(loop, transport.outbound(), transport.settings().writeBufferHighWaterMark() / 4,
                this::onLeafWritable);
    }

    /** A leaf's DATA arrived (event loop): queue it for the root; relay it when the data plane is non-rooted. */
    void onData(LeafLink from, Frame.Data data, Channel channel) {
        if (closed) {
            return;
        }
        ByteBuf payload = data.content();
        if (!rootedData) {
            fanOut(FrameCodec.encodeData(transport.allocator(), payload), from);
        }
        deliver(payload, from.peerAddress(), channel);
    }

    /**
     * A member's writability changed or a loop caught up (event loop): pay an owed FD_WRITE once all receivers
     * and loops have room.
     */
    void onLeafWritable() {
        if (owesWrite && !anyLoopBehind() && firstUnwritableReceiver() == null) {
            owesWrite = false;
            if (!closed) {
                upcalls.post(Winsock2.FD_WRITE_BIT, 0);
            }
        }
    }

    /** A link left the session (closed by either side, or evicted). */
    void forget(LeafLink link) {
        members.remove(link);
        links.remove(link);
        onLeafWritable(); // a BLOCK_SENDER root no longer waits for a leaf that left
    }

    @Override
    public int receive(ByteBuffer buffer, SOCKADDR from, boolean peek) throws WsaException {
        return inbound.take(buffer, from, peek);
    }

    /** Ends the session: every leaf and every local c_leaf gets FD_CLOSE(0) (§1.6). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeListener();
        qos.release();
        for (LeafLink link : links) {
            link.sessionEnded();
        }
        links.clear();
        members.clear();
        transport.untrack(this);
    }
}
