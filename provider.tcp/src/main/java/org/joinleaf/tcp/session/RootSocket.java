package org.joinleaf.tcp.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 * <p>Pitfalls: fan-out never waits for a slow leaf; see {@link SlowLeafPolicy} and {@link #sendBlocker}. Member
 * sets are concurrent because sends run on application threads while joins and leaves happen on event loops.
 */
final class RootSocket extends TcpSocket {
    /** The shortest wait before asking a leaf's kernel again (a grace of 0 must not spin: decision 45). */
    private static final long MIN_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Every c_leaf of this root, inviting or joined, so close() reaches them all. */
    private final Set<LinkSocket> links = ConcurrentHashMap.newKeySet();
    /** Joined leaves: the fan-out set. */
    private final Set<LinkSocket> members = ConcurrentHashMap.newKeySet();
    /** Bumped after each change of {@link #members}: {@link #receivers} is rebuilt when it is stale. */
    private final AtomicInteger membership = new AtomicInteger();
    /** The receiving members at a {@link #membership} version (see {@link #receivers}). */
    private volatile Receivers receivers;
    /** The joined leaves counted by network: who gives way when every place is taken (decision 35). */
    private final MemberPlaces<LinkSocket> places = new MemberPlaces<>();
    /** Fan-out batching per event loop of the members; at most one entry per loop of the transport. */
    private final Map<EventLoop, LoopFanout> loops = new ConcurrentHashMap<>();
    /** A send was refused with WSAEWOULDBLOCK: FD_WRITE is owed once the root may send again. */
    private volatile boolean owesWrite;
    /** The last fan-out's targets by event loop (see {@link #plan}). */
    private volatile FanoutPlan plan;
    /** Orders the members' progress and their reaching the high mark (see {@link LeafProgress}). */
    private final AtomicLong progressClock = new AtomicLong();
    /** A check is scheduled for when a leaf behind the others ends its grace (see {@link #recheckIn}). */
    private final AtomicBoolean recheckDue = new AtomicBoolean();
    /**
     * This root's links whose backlog is at or over the high water mark, counted on each crossing of it (see
     * {@link LinkSocket#charge}, {@link LinkSocket#credit}): while none is, no slow-leaf rule can hold a send back
     * and {@link #admitSend} scans nobody (decision 56).
     */
    private final AtomicInteger linksAtMark = new AtomicInteger();

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
            public ProviderSocket prepare(PendingRequest request, SocketUpcalls given) throws WsaException {
                makeRoom(request);
                SocketUpcalls linkUpcalls = SafeUpcalls.of(given, transport.counters());
                LinkSocket link = new LinkSocket(RootSocket.this, linkUpcalls, request.direction(),
                        request.callerAddress(), linkQos(linkUpcalls, leafDirection(request.direction())));
                link.attach(request.channel());
                links.add(link);
                handler.becomeMember(request.channel(), link);
                return link;
            }

            @Override
            public void activate(ProviderSocket member, Frame.Accept accept) {
                LinkSocket link = (LinkSocket) member;
                link.accepted(accept); // before it joins the fan-out
                addMember(link);
            }
        });
    }

    /**
     * Decision 35: a caller let in over {@code maxLeavesPerRoot} (see {@link #yieldsTo}) takes the place of the
     * newest member of the busiest network, now that the application accepted it (a caller it rejects costs nobody
     * a place). When the places shifted meanwhile and none gives way, the accept fails: the root never holds more
     * links than its cap.
     */
    private void makeRoom(PendingRequest request) throws WsaException {
        if (links() + queuedRequests() > maxLinks()) { // queued: this request too, until it is answered
            LinkSocket yielding = places.yieldTo(request.source());
            if (yielding != null) {
                yielding.displace(request.callerAddress().toString());
            }
        }
        if (links() >= maxLinks()) {
            throw new WsaException(Winsock2.WSAENOBUFS, "the c_root has " + links() + " leaves: maxLeavesPerRoot ("
                    + maxLinks() + ") reached while the join waited; the caller was refused, accept the next one");
        }
    }

    @Override
    boolean yieldsTo(PendingRequest request) {
        return places.wouldYieldTo(request.source());
    }

    /** A leaf joined (accepted or accepting an invitation): it gets data and holds a counted place. */
    private void addMember(LinkSocket link) {
        if (closed) {
            link.sessionEnded();
        } else {
            members.add(link);
            membership.incrementAndGet();
            places.add(link, TcpTransport.sourceOf(link.channel().remoteAddress()));
        }
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
        LinkSocket link = new LinkSocket(this, linkUpcalls, leafDirection(request.direction()), leaf,
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
    void onInviteAccepted(LinkSocket link) {
        addMember(link);
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
        // WSAENOBUFS over the cap (the leaves share the frame), checked first: a sender retrying it does not walk
        // every member each time (issue 11, raw JOINs: 196 MB of target lists in 25 s)
        checkOutbound(length);
        List<LinkSocket> targets = admitSend();
        qos.pay(length); // the c_root's sending flow: each message counts once, however many leaves get it
        fanOut(FrameCodec.encodeData(transport.allocator(), message), targets);
        loopBack(message);
        return length;
    }

    /** A link's backlog reached its high water mark ({@code +1}) or fell below it ({@code -1}); any thread. */
    void markCrossed(int delta) {
        linksAtMark.addAndGet(delta);
    }

    /** Links at or over their high water mark now (tests). */
    int linksAtMark() {
        return linksAtMark.get();
    }

    LeafProgress newLeafProgress() {
        return new LeafProgress(progressClock, System::nanoTime,
                TimeUnit.MILLISECONDS.toNanos(transport.settings().slowLeafGraceMillis()));
    }

    /**
     * The receiving leaves a send goes to, after the slow-leaf rules (see {@link #sendBlocker}); a leaf past twice
     * the high water mark that took nothing while another kept up fell behind the others and is evicted, unless the
     * kernel has its data in flight (decisions 38, 45).
     *
     * @throws WsaException WSAEWOULDBLOCK while the rules hold the sender back; FD_WRITE follows
     */
    private List<LinkSocket> admitSend() throws WsaException {
        if (linksAtMark.get() == 0) { // nobody at the mark is nobody past twice it: the scan below would pass all
            if (owesWrite) {
                owesWrite = false;
            }
            return receivers();
        }
        owesWrite = true; // set first: a leaf getting room right after the check still pays the FD_WRITE
        // One pass over the members (a send to 1000 leaves reads each backlog once, not once per rule).
        long evictAt = evictionMark();
        List<LinkSocket> targets = receivers();
        Scan scan = new Scan();
        for (int i = 0, n = targets.size(); i < n; i++) {
            scan.add(targets.get(i));
        }
        String blocked = scan.blocker();
        if (blocked != null) {
            throw new WsaException(Winsock2.WSAEWOULDBLOCK, blocked + "; wait for FD_WRITE");
        }
        owesWrite = false;
        if (!scan.pastMark.isEmpty()) { // rare: leaves fell behind the others, which kept up
            List<LinkSocket> kept = new ArrayList<>(targets.size());
            for (LinkSocket m : targets) {
                // still past it: a leaf whose kernel took its backlog since the scan (its window opened) stays
                if (scan.pastMark.contains(m) && m.backlogBytes() > evictAt) {
                    evictBehind(m, evictAt, scan.windows.get(m));
                } else {
                    kept.add(m);
                }
            }
            targets = kept;
        }
        return targets;
    }

    /**
     * Why the root may not send now, or null. A leaf's backlog counts from the send, so frames waiting on an event
     * loop count too. Under BLOCK_SENDER: while any receiving leaf is at its high water mark. Under either policy:
     * while every receiving leaf is (the sender, not a leaf, is then what is too fast), and while a leaf is past
     * twice the mark but no other leaf kept up while it took nothing (decision 38: it is not behind the others, so
     * it is not evicted, and it must not grow either), or its grace runs, or the kernel has its data in flight
     * (decision 45: the network is slowing it; asked again each grace, the slow-leaf timer caps the wait).
     */
    private String sendBlocker() {
        Scan scan = new Scan();
        List<LinkSocket> all = receivers();
        for (int i = 0, n = all.size(); i < n; i++) {
            scan.add(all.get(i));
        }
        return scan.blocker();
    }

    /**
     * The receiving members, a list kept while the membership stays the same (issue 14): a send then neither walks
     * the concurrent set nor builds a list per message, and its fan-out plan is the same list ({@link #plan}). A
     * change during the rebuild bumps the version read before it, so the next send rebuilds again: a send sees a
     * join or leave no later than when it walked the set itself.
     */
    private List<LinkSocket> receivers() {
        int version = membership.get();
        Receivers r = receivers;
        if (r != null && r.version == version) {
            return r.list;
        }
        List<LinkSocket> list = new ArrayList<>(members.size());
        for (LinkSocket m : members) {
            if (m.receives()) {
                list.add(m);
            }
        }
        List<LinkSocket> fixed = Collections.unmodifiableList(list);
        receivers = new Receivers(version, fixed);
        return fixed;
    }

    private record Receivers(int version, List<LinkSocket> list) {
    }

    /** One pass over the receiving members: what {@link #sendBlocker}'s rules need, each backlog read once. */
    private final class Scan {
        private final int high = transport.settings().writeBufferHighWaterMark();
        private final long evictAt = evictionMark();
        LinkSocket full;
        boolean anyRoom;
        /** Past twice the mark (rare: made only when there is one). */
        List<LinkSocket> pastMark = List.of();
        /** What the kernel said of each leaf past the mark, behind the others and out of grace (decision 45). */
        final Map<LinkSocket, PeerWindow.Reading> windows = new IdentityHashMap<>(2);
        /** A leaf behind the others whose data is in flight (decision 45), or null. */
        LinkSocket inFlight;

        void add(LinkSocket m) {
            long backlog = m.backlogBytes();
            if (backlog >= high) {
                full = full == null ? m : full;
            } else {
                anyRoom = true;
            }
            if (backlog > evictAt) {
                pastMark = pastMark.isEmpty() ? new ArrayList<>() : pastMark;
                pastMark.add(m);
            }
        }

        /** The first leaf past twice the mark that is not behind the others, or null. */
        LinkSocket pastMarkNotBehind() {
            for (LinkSocket m : pastMark) {
                if (!anotherKeptUp(m)) {
                    return m;
                }
                long graceLeft = m.progress.graceLeft();
                if (graceLeft > 0) { // behind, in its grace: the sender waits for its end (or its progress)
                    recheckIn(graceLeft);
                    return m;
                }
                PeerWindow.Reading window = transport.peerWindow().of(m.channel());
                windows.put(m, window);
                if (!window.mayEvict()) { // the network is slowing it: ask again later, the backstop caps the wait
                    transport.counters().heldInFlight();
                    recheckIn(Math.max(m.progress.graceNanos(), MIN_RECHECK_NANOS));
                    inFlight = m;
                    return m;
                }
            }
            return null;
        }

        String blocker() {
            if (full != null && (!anyRoom || transport.settings().slowLeafPolicy() == SlowLeafPolicy.BLOCK_SENDER)) {
                return (anyRoom ? "leaf " + full.peerAddress() + " cannot keep up" : "no receiving leaf can keep up")
                        + " (backlog at the high water mark, " + high + " bytes)";
            }
            LinkSocket waiting = pastMarkNotBehind();
            if (waiting != null && waiting == inFlight) {
                return "leaf " + waiting.peerAddress() + " is past twice the high water mark (" + evictAt + " bytes) "
                        + "but its data is in flight (" + windows.get(waiting).figures() + "): the network is "
                        + "slowing it, not its reader";
            }
            if (waiting != null) {
                return "leaf " + waiting.peerAddress() + " is past twice the high water mark (" + evictAt + " bytes) "
                        + "but no other leaf kept up while it took nothing";
            }
            return null;
        }
    }

    /** Evicts {@code m}, past {@code evictAt} and behind the others; {@code window}: the kernel's view, or null. */
    private void evictBehind(LinkSocket m, long evictAt, PeerWindow.Reading window) {
        boolean closed = window != null && window.state() == PeerWindow.State.CLOSED;
        if (closed) {
            transport.counters().closedWindowEviction();
        }
        m.evict("its backlog passed twice the high water mark (" + evictAt + " bytes) and it took nothing while "
                + "another leaf kept up" + (closed ? ", its receive window closed (" + window.figures() + ")" : ""),
                System.nanoTime());
    }

    /**
     * What the kernel said of {@code m}, past the eviction mark, when it may be evicted for it: behind the others, out
     * of its grace, and its receive window closed (or the kernel cannot tell: decisions 38, 45); else null.
     */
    private PeerWindow.Reading evictableWindow(LinkSocket m) {
        if (!anotherKeptUp(m) || m.progress.graceLeft() > 0) {
            return null;
        }
        PeerWindow.Reading window = transport.peerWindow().of(m.channel());
        if (!window.mayEvict()) {
            transport.counters().heldInFlight(); // the relay's target stays; its sender is paused (see relay)
            return null;
        }
        return window;
    }

    private long evictionMark() {
        TcpSettings s = transport.settings();
        return evictionMark(s.writeBufferHighWaterMark(), s.maxMessageSize(), rootedData);
    }

    /**
     * Where a leaf's backlog is past the bound, for a root's send and a relay alike: twice the high water mark, and
     * in a non-rooted data session one message more, since a paused relay sender's read in hand may take a target
     * that far (see {@link #relay}). With one mark for both, the root's own send evicted a leaf the relay had
     * legitimately taken past twice the mark (issue 14 item 6: under epoll 3 runs in 4 of the hostile relay flood).
     */
    static long evictionMark(int highWaterMark, int maxMessageSize, boolean rootedData) {
        long twice = 2L * highWaterMark;
        return rootedData ? twice : twice + FrameCodec.HEADER + maxMessageSize;
    }

    /**
     * True when a receiving member other than {@code leaf} has drained its backlog to its low water mark: the
     * slow-leaf timer's condition (that leaf has been unwritable for the whole timeout meanwhile).
     */
    boolean anotherReceiverHasRoom(LinkSocket leaf) {
        int low = transport.settings().writeBufferLowWaterMark();
        for (LinkSocket m : members) {
            if (m != leaf && m.receives() && m.backlogBytes() <= low) {
                return true;
            }
        }
        return false;
    }

    /** True when a receiving member below its mark kept up while {@code leaf} took nothing (decision 38). */
    private boolean anotherKeptUp(LinkSocket leaf) {
        for (LinkSocket m : members) {
            if (m != leaf && m.receives() && !m.overMark() && m.progress.keptUpWhileStalled(leaf.progress)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks the send blocker again in {@code nanos} (a leaf's grace ends then): nothing else would wake a sender
     * held back only by a stalled leaf's grace, since the others drained already.
     */
    private void recheckIn(long nanos) {
        if (recheckDue.compareAndSet(false, true)) {
            try {
                transport.group().schedule(() -> {
                    recheckDue.set(false);
                    onLeafDrained();
                }, nanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                recheckDue.set(false); // the provider is stopping
            }
        }
    }

    /** The first receiving member other than {@code except} at or over its mark, or null. */
    private LinkSocket firstOverMark(LinkSocket except) {
        for (LinkSocket m : members) {
            if (m != except && m.receives() && m.overMark()) {
                return m;
            }
        }
        return null;
    }

    /**
     * Writes one encoded DATA frame to {@code targets} (ownership passes: the last loop takes this reference, the
     * others a retained one): queued once per event loop (see {@link LoopFanout}), each leaf's backlog charged from
     * here, and the frame once in maxQueuedBytes.
     */
    private void fanOut(ByteBuf frame, List<LinkSocket> targets) {
        if (targets.isEmpty()) {
            frame.release();
            return; // nobody to hold it: nothing charged
        }
        OutboundBudget.Shared shared = transport.outbound().chargeShared(frame.readableBytes(), targets.size());
        List<LoopShare> shares = plan(targets).shares;
        int last = shares.size() - 1;
        for (int i = 0; i < last; i++) {
            shares.get(i).fanout.submit(frame.retain(), shares.get(i).leaves, shared);
        }
        shares.get(last).fanout.submit(frame, shares.get(last).leaves, shared); // the last loop takes ours
    }

    /**
     * The targets grouped by event loop, the same lists while the targets stay the same (a loop batches only the
     * frames queued for the same list). Sends run on one application thread at a time in practice; two racing here
     * only build the plan twice.
     */
    private FanoutPlan plan(List<LinkSocket> targets) {
        FanoutPlan p = plan;
        if (p == null || !p.targets.equals(targets)) {
            p = new FanoutPlan(targets, this);
            plan = p;
        }
        return p;
    }

    /** One send's (or relay's) targets, grouped by the event loop that owns each leaf's connection. */
    private static final class FanoutPlan {
        final List<LinkSocket> targets;
        final List<LoopShare> shares = new ArrayList<>();

        FanoutPlan(List<LinkSocket> targets, RootSocket root) {
            this.targets = targets;
            Map<EventLoop, LoopShare> byLoop = new IdentityHashMap<>();
            for (LinkSocket m : targets) {
                EventLoop loop = m.channel().eventLoop();
                byLoop.computeIfAbsent(loop, l -> {
                    LoopShare share = new LoopShare(root.loops.computeIfAbsent(l, root::newLoopFanout));
                    shares.add(share);
                    return share;
                }).leaves.add(m);
            }
        }
    }

    private record LoopShare(LoopFanout fanout, List<LinkSocket> leaves) {
        LoopShare(LoopFanout fanout) {
            this(fanout, new ArrayList<>());
        }
    }

    /** Runs {@code write} on {@code c}'s loop behind the DATA fanned out to it so far (see {@link LoopFanout#then}). */
    void afterQueuedData(Channel c, Runnable write) {
        LoopFanout fanout = loops.get(c.eventLoop());
        if (fanout == null) {
            write.run(); // nothing was fanned out on that loop: Netty hands the write to it
        } else {
            fanout.then(write);
        }
    }

    private LoopFanout newLoopFanout(EventLoop loop) {
        return new LoopFanout(loop, transport.allocator(), transport.outbound());
    }

    /** A leaf's DATA arrived (event loop): queue it for the root; relay it when the data plane is non-rooted. */
    void onData(LinkSocket from, Frame.Data data, Channel channel) {
        if (closed || from.ended()) {
            return;
        }
        ByteBuf payload = data.content();
        if (!rootedData) {
            relay(payload, from);
        }
        deliver(payload, from.peerAddress(), channel);
    }

    /**
     * Relays a leaf's message to the other receiving leaves. A relay cannot be refused, so the push-back goes to the
     * sending leaf: while any target is at or over its mark its connection is not read (the rest of the read in
     * hand, at most one high water mark since reads are capped at it, still goes out; FrameSplitter asks no read of a
     * paused connection), and it is read again once every target is below its mark. So one sender takes a target to
     * at most twice the mark plus one message ({@link #evictionMark}, the root's sends too); a target past that (several senders) while another has room is evicted, as for a root's send; when all are
     * behind nothing is evicted: pausing the senders is the back-pressure.
     */
    private void relay(ByteBuf payload, LinkSocket from) {
        // One sender's read in hand can take a target from its mark to twice it plus one message: evicting only past
        // that leaves a lone sender's targets alone and stops several senders together.
        long evictAt = evictionMark();
        List<LinkSocket> targets = new ArrayList<>();
        for (LinkSocket m : members) {
            if (m == from || !m.receives()) {
                continue;
            }
            PeerWindow.Reading window = m.backlogBytes() > evictAt ? evictableWindow(m) : null;
            if (window != null) {
                evictBehind(m, evictAt, window);
            } else {
                targets.add(m);
            }
        }
        if (targets.isEmpty()) {
            return;
        }
        ByteBuf frame = FrameCodec.encodeData(transport.allocator(), payload);
        fanOut(frame, targets);
        if (!relayHasRoom(from)) {
            ReadGate.pause(from.channel(), ReadGate.RELAY);
            resumeRelayIfRoom(from); // registers where the room will come from (or resumes if it already came)
        }
    }

    /**
     * A paused relay sender is read again once no target is at its mark and maxQueuedBytes has room (any thread);
     * otherwise this waits for the first that has not.
     */
    void resumeRelayIfRoom(LinkSocket sender) {
        LinkSocket over = sender.ended() ? null : firstOverMark(sender);
        if (over != null) {
            over.whenDrained(sender.retryRelay);
        } else if (!sender.ended() && transport.outbound().over()) {
            transport.outbound().whenDrained(sender.retryRelay);
        } else {
            ReadGate.resume(sender.channel(), ReadGate.RELAY);
        }
    }

    private boolean relayHasRoom(LinkSocket sender) {
        return firstOverMark(sender) == null && !transport.outbound().over();
    }

    /** A member's backlog fell below its mark (its event loop), or a member left: pay an owed FD_WRITE if due. */
    void onLeafDrained() {
        if (owesWrite && sendBlocker() == null) {
            owesWrite = false;
            if (!closed) {
                upcalls.post(Winsock2.FD_WRITE_BIT, 0);
            }
        }
    }

    /** A link left the session (closed by either side, or evicted). */
    void forget(LinkSocket link) {
        members.remove(link);
        membership.incrementAndGet();
        places.remove(link);
        links.remove(link);
        onLeafDrained(); // the root no longer waits for a leaf that left
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
        inbound.discard();
        for (LinkSocket link : links) {
            link.sessionEnded();
        }
        links.clear();
        members.clear();
        membership.incrementAndGet();
        transport.untrack(this);
    }
}
