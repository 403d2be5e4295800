package org.joinleaf.tcp.session;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.RejectedExecutionHandlers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.joinleaf.api.Winsock2;
import org.joinleaf.qos.QosService;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.ProviderStatus;
import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.spi.WsaException;
import org.joinleaf.tcp.protocol.Frame;
import org.joinleaf.tcp.protocol.FrameCodec;
import org.joinleaf.tcp.protocol.FrameDecoder;
import org.joinleaf.tcp.protocol.FrameSplitter;
import org.joinleaf.tcp.protocol.FrameEncoder;
import org.joinleaf.tcp.session.LimitCounters.Limit;
import org.joinleaf.tcp.tls.TlsContexts;
import org.joinleaf.tcp.tls.TlsRecordGuard;

/**
 * The provider's engine as a plain object: one event-loop group for sessions and one accepting thread on the
 * configured {@link IoTransport} (NIO or epoll), the
 * pipeline every session connection gets, the resource limits, and the open sockets (so {@link #shutdown} can end
 * them). Usable without OSGi from tests and benchmarks.
 *
 * <p>Pitfalls: {@link #shutdown} must be called exactly once by whoever constructed it; it waits at most
 * {@code timeoutMillis} for the event loops. Thread names start with {@link #THREAD_PREFIX}.
 */
public final class TcpTransport {
    /** Prefix of every event-loop thread name (tests count them). */
    public static final String THREAD_PREFIX = "joinleaf-tcp";
    /** Accepts per selector wake-up before the accepting thread looks at its other work (it has almost none). */
    private static final int ACCEPTS_PER_WAKEUP = 64;

    /** Replaced whole by {@link #applyLive}; every use reads it again. */
    private volatile TcpSettings settings;
    private final DerivedLimits jvm;
    /** NIO or epoll ({@code transport}); fixed for the transport's life. */
    private final IoTransport io;
    private final EventLoopGroup group;
    /**
     * One thread that only accepts: under a flood the accept queue drains while the session loops are busy closing
     * expired handshakes, so a legitimate join's deadline and wait start without the session loops' lag.
     */
    private final EventLoopGroup acceptor;
    /**
     * The token wake-ups of shaped sockets (issue 14 item 5) on a thread of their own, started at the first one: on
     * the session loops a flood delayed them past the bucket's fill time and the shaped flow lost its tokens.
     */
    private final EventExecutor qosTimer = new DefaultEventExecutor(
            new DefaultThreadFactory(THREAD_PREFIX + "-qos-timer", true));
    private final FrameDecoder frameDecoder;
    private final WriteBufferWaterMark waterMark;
    private final Set<ProviderSocket> open = ConcurrentHashMap.newKeySet();
    /** Every session connection not yet closed, so shutdown can let their LEAVE frames out first. */
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private final Supplier<QosService> qos;
    /** The TLS contexts of new connections ({@link #applyLive} replaces them). */
    private volatile TlsContexts tls;
    private final LimitCounters counters = new LimitCounters();
    private final HandshakeGate handshakes;
    /**
     * Connections over a pending-handshake cap whose REJECT is still on its way. Bounded by maxPendingHandshakes:
     * past it a refused connection is closed on the accepting thread without a REJECT (the peer sees a reset).
     */
    private final AtomicInteger refusing = new AtomicInteger();
    /** Per session loop, the accepted connections waiting for it, served in turns per prefix. */
    private final Map<EventLoop, FairHandOff> handOffs = new ConcurrentHashMap<>();
    private volatile JoinRateLimiter joinRate;
    private final OutboundBudget outbound;
    /** {@code maxReceivedBytes}: bytes in every socket's receive queue. */
    private final MemoryBudget received;
    /**
     * What connections not admitted yet are read into and buffer (a JOIN being assembled, TLS records of a
     * handshake): unpooled, so every byte goes back to the system as the connection goes. From the pool, a flood of
     * partial TLS records left the pool's chunks grown by megabytes after the attacker left (issue 11 item 7).
     */
    private final UnpooledByteBufAllocator preAdmission = new UnpooledByteBufAllocator(true);
    private volatile boolean stopped;

    /**
     * @param qos the QoS service of the moment ({@code null} while none runs), read once per QoS operation
     * @throws IllegalArgumentException when the TLS settings name a store that cannot be used (before any thread
     *                                  is started)
     */
    public TcpTransport(TcpSettings settings, Supplier<QosService> qos) {
        this(settings, qos, DerivedLimits.ofThisJvm());
    }

    /**
     * @param jvm the memory limits the memory settings left at 0 are derived from and must fit
     * @throws IllegalArgumentException also when the memory settings do not fit {@code jvm} (naming the setting)
     */
    TcpTransport(TcpSettings configured, Supplier<QosService> qos, DerivedLimits jvm) {
        TcpSettings settings = jvm.resolve(configured);
        jvm.checkFits(settings);
        this.tls = TlsContexts.from(settings.tls());
        this.settings = settings;
        this.jvm = jvm;
        this.qos = qos;
        // Netty's task queues are unbounded MPSC queues; what goes into them is bounded elsewhere: DATA writes by
        // maxQueuedBytes and each leaf's backlog (both counted when submitted), deadlines by maxPendingHandshakes
        // and one timer per join, link and QoS socket, control frames and reading switches by one or two per
        // connection and event.
        this.io = IoTransports.of(settings.transport());
        this.group = io.newGroup(settings.eventLoopThreads(), THREAD_PREFIX);
        this.acceptor = io.newGroup(1, THREAD_PREFIX + "-accept");
        this.frameDecoder = new FrameDecoder(settings.maxConnectData(), settings.maxMessageSize());
        this.waterMark = new WriteBufferWaterMark(settings.writeBufferLowWaterMark(),
                settings.writeBufferHighWaterMark());
        this.handshakes = HandshakeGate.within(settings.maxPendingHandshakesPerSource(),
                settings.maxPendingHandshakes(), HandshakeGate.maxDescriptorsOfThisProcess());
        this.joinRate = new JoinRateLimiter(settings.maxJoinRatePerSource());
        this.outbound = new OutboundBudget(settings.maxQueuedBytes(),
                FrameCodec.HEADER + (long) settings.maxMessageSize(), jvm.queuedWriteHeap(), counters);
        this.received = new MemoryBudget("maxReceivedBytes", settings.maxReceivedBytes());
    }

    /**
     * Applies a change of {@link TcpSettings#LIVE} settings to the running transport; open connections and sessions
     * stay. New TLS stores are loaded first: one that cannot be used is refused and nothing changes.
     *
     * @param configured settings that differ from the ones in force in live settings only
     *                   ({@link TcpSettings#changesOnlyLive})
     * @throws IllegalArgumentException naming the TLS store that cannot be used, or the memory setting that does
     *                                  not fit this JVM
     */
    public void applyLive(TcpSettings configured) {
        TcpSettings next = jvm.resolve(configured);
        jvm.checkFits(next);
        TcpSettings current = settings;
        if (!next.tls().equals(current.tls())) {
            tls = TlsContexts.from(next.tls());
        }
        if (next.maxJoinRatePerSource() != current.maxJoinRatePerSource()) {
            joinRate = new JoinRateLimiter(next.maxJoinRatePerSource());
        }
        settings = next;
    }

    /** The settings in force: the memory settings configured as 0 carry their derived values. */
    public TcpSettings settings() {
        return settings;
    }

    /** A bound server socket of the transport in use, for {@code bind} (see {@link IoTransport#reserve}). */
    Reservation reserve(InetSocketAddress address) throws IOException {
        return io.reserve(address, settings.acceptQueueLength(), // decision 43
                io.receiveBuffer(pausedInputBudget(settings))); // decision 49: accepted connections inherit it
    }

    /** Bytes queued for the applications over every socket now ({@code maxReceivedBytes} bounds it). */
    public long receivedBytes() {
        return received.used();
    }

    /** A new socket's receive queue, bounded by the settings and counted in the provider's total. */
    InboundQueue newInboundQueue() {
        return new InboundQueue(settings.receiveQueueMessages(),
                new MemoryBudget("receiveQueueBytes", settings.receiveQueueBytes()), received);
    }

    EventLoopGroup group() {
        return group;
    }

    /** The transport in use, {@code NIO} or {@code EPOLL} ({@code transport=AUTO} resolved). */
    public String ioTransport() {
        return io.name();
    }

    /** TCP_INFO under epoll, UNKNOWN under NIO (decision 45). */
    PeerWindow peerWindow() {
        return io.peerWindow();
    }

    ByteBufAllocator allocator() {
        return ByteBufAllocator.DEFAULT;
    }

    /** What the resource limits refused so far. */
    public LimitCounters counters() {
        return counters;
    }

    /** DATA bytes queued in Netty over all connections now ({@code maxQueuedBytes} bounds it). */
    public long queuedBytes() {
        return outbound.queued();
    }

    /**
     * Bytes held now for connections not admitted yet (reads, frames and TLS records being assembled); each is
     * bounded by a JOIN's size or one TLS record, and the connections by {@code maxPendingHandshakes}.
     */
    public long preAdmissionBytes() {
        return preAdmission.metric().usedDirectMemory() + preAdmission.metric().usedHeapMemory();
    }

    /** Accepted connections still waiting for their opening frame. */
    public int pendingHandshakes() {
        return handshakes.pending();
    }

    OutboundBudget outbound() {
        return outbound;
    }

    /**
     * {@code maxJoinRatePerSource}: true when a JOIN/INVITE arriving on {@code channel} is within its source's rate;
     * otherwise counts and logs the refusal (the caller answers REJECT).
     */
    boolean joinWithinRate(Channel channel) {
        InetAddress source = sourceOf(channel.remoteAddress());
        if (joinRate.tryAcquire(source, System.nanoTime())) {
            return true;
        }
        counters.refused(Limit.JOIN_RATE, () -> "refused a join from " + channel.remoteAddress()
                + " with WSAECONNREFUSED: over maxJoinRatePerSource (" + settings.maxJoinRatePerSource() + "/s)");
        return false;
    }

    static InetAddress sourceOf(SocketAddress remote) {
        return remote instanceof InetSocketAddress isa ? isa.getAddress() : InetAddress.getLoopbackAddress();
    }

    /**
     * {@code WSPSocket} for a multipoint socket: a c_root or a c_leaf.
     *
     * @param rootedData true for the rooted-data catalog entry (no relay between leaves)
     * @param qosCapable true for an entry advertising {@code XP1_QOS_SUPPORTED}: the socket uses the QoS service
     */
    public ProviderSocket open(int family, boolean rootedData, boolean qosCapable, int dwFlags,
                               SocketUpcalls upcalls) throws WsaException {
        if (stopped) {
            throw new WsaException(Winsock2.WSAENETDOWN, "the TCP multipoint provider is stopping");
        }
        TcpSocket socket;
        upcalls = SafeUpcalls.of(upcalls, counters);
        if ((dwFlags & Winsock2.WSA_FLAG_MULTIPOINT_C_ROOT) != 0) {
            socket = new RootSocket(this, family, rootedData, qosCapable, upcalls);
        } else if ((dwFlags & Winsock2.WSA_FLAG_MULTIPOINT_C_LEAF) != 0) {
            socket = new LeafSocket(this, family, rootedData, qosCapable, upcalls, Winsock2.JL_BOTH);
        } else {
            throw new WsaException(Winsock2.WSAESOCKTNOSUPPORT, "this provider only makes multipoint sockets; pass "
                    + "WSA_FLAG_MULTIPOINT_C_ROOT or WSA_FLAG_MULTIPOINT_C_LEAF with a data-plane flag");
        }
        track(socket);
        return socket;
    }

    /** The QoS state of a new socket; {@code qosCapable} false gives a socket without QoS. */
    SocketQos newSocketQos(boolean qosCapable, SocketUpcalls upcalls, int direction) {
        return new SocketQos(qosCapable ? qos : null, settings.qosScope(), upcalls, qosTimer, direction);
    }

    void track(ProviderSocket socket) {
        open.add(socket);
    }

    void untrack(ProviderSocket socket) {
        open.remove(socket);
    }

    /** Sockets not yet closed (tests, diagnostics). */
    public int openSockets() {
        return open.size();
    }

    /** The session connections not yet closed (tests). */
    Iterable<Channel> sessionChannels() {
        return channels;
    }

    /**
     * Bytes written to session connections that Netty still holds (not yet taken by the kernel): DATA, and the
     * control frames a peer can provoke (tests, diagnostics).
     */
    public long unflushedBytes() {
        long sum = 0;
        for (Channel ch : channels) {
            ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
            sum += out == null ? 0 : out.totalPendingWriteBytes();
        }
        return sum;
    }

    /**
     * Sets up a session connection: TLS (first, so it wraps the whole framed stream; the side that opened TCP is
     * the TLS client), framing, codec, heartbeat, then the side's handler.
     *
     * <p>What a connection can make us hold before admission (issue 11): the splitter takes frames up to a JOIN's
     * size until the connection is admitted ({@link PeerChannelHandler#admitFrames}); with TLS the guard in front
     * of the {@code SslHandler} refuses any record over the protocol's maximum, so a partial record pins at most
     * {@link TlsRecordGuard#MAX_RECORD} + 5 bytes; all of it comes from {@link #preAdmissionBytes}'s allocator, so it
     * is returned, not pooled, when the connection goes.
     */
    void initChannel(Channel ch, PeerChannelHandler handler, boolean client) {
        handler.useCounters(counters);
        channels.add(ch);
        ch.closeFuture().addListener(f -> channels.remove(ch));
        ch.config().setWriteBufferWaterMark(waterMark);
        // Before admission reads are small (PeerChannelHandler.admitFrames raises them to a member's, ReadSizes): the TLS
        // handler keeps a partial record in the buffer it was read into, so 64 KiB reads made each pending
        // handshake of the hostile suite's partial-TLS-record case pin about 64 KiB of direct memory for 18 KiB.
        readBeforeAdmission(ch);
        ch.config().setOption(ChannelOption.TCP_NODELAY, true);
        // decision 49: the end of a paused peer's output is held until it is resumed, within what the kernel held
        int held = pausedInputBudget(settings);
        int receiveBuffer = io.receiveBuffer(held);
        if (client && receiveBuffer > 0) {
            ch.config().setOption(ChannelOption.SO_RCVBUF, receiveBuffer); // before connecting (accepted: inherited)
        }
        ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        ChannelPipeline p = ch.pipeline();
        p.addLast("paused-input", new PausedInput(held, received));
        SslHandler ssl = tls.newHandler(ch.alloc(), client);
        if (ssl != null) {
            p.addLast("tls-records", new TlsRecordGuard());
            p.addLast("tls", ssl);
        }
        p.addLast("heartbeat", new Heartbeat(settings.heartbeatIntervalMillis(), settings.heartbeatTimeoutMillis()));
        FrameSplitter frames = FrameCodec.newFrameSplitter(settings.maxMessageSize(), settings.maxConnectData());
        if (handler instanceof FrameSplitter.DataSink sink) {
            frames.deliverDataTo(sink, settings.maxMessageSize());
        }
        p.addLast("frames", frames); // just above the heartbeat: where DATA enters (dataEntry)
        p.addLast("decoder", frameDecoder);
        p.addLast("encoder", FrameEncoder.INSTANCE);
        p.addLast("session", handler);
    }

    /**
     * Where encoded DATA enters {@code ch}'s pipeline: the context just above the heartbeat, so a write passes only
     * the handlers that must see it (the heartbeat, which watches writes, and TLS) instead of walking from the tail
     * past the session handler, the encoder (Frame objects only) and the decoders (issue 14: per leaf and frame of a
     * fan-out, that walk was the largest part of the loops' time). The channel itself for a pipeline without one.
     */
    static ChannelOutboundInvoker dataEntry(Channel ch) {
        ChannelHandlerContext above = ch.pipeline().context(FrameSplitter.class);
        return above != null ? above : ch;
    }

    /**
     * What a paused connection may hold (decision 49): twice the high water mark, the kernel receive buffer's size
     * under epoll ({@link IoTransport#receiveBuffer}); NIO holds nothing.
     */
    static int pausedInputBudget(TcpSettings settings) {
        return 2 * Math.max(PRE_ADMISSION_READ, settings.writeBufferHighWaterMark());
    }

    /** The largest read of a connection not admitted yet: a JOIN, or a TLS handshake message, fits a few. */
    static final int PRE_ADMISSION_READ = 4096;

    /** Small reads into unpooled memory until {@link PeerChannelHandler#admitFrames}, if ever, hands back the pool. */
    private void readBeforeAdmission(Channel ch) {
        ReadSizes.install(ch);
        ch.config().setAllocator(preAdmission);
    }

    /** A client bootstrap whose one connection gets {@code handler}. */
    Bootstrap bootstrap(PeerChannelHandler handler) {
        return new Bootstrap().group(group).channel(io.clientChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, settings.joinTimeoutMillis())
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        TcpTransport.this.initChannel(ch, handler, true);
                    }
                });
    }

    /**
     * Hands an already bound server socket to the accepting thread. Each accepted connection counts against the
     * pending-handshake caps there and its join deadline starts at once; everything else (its Netty channel and
     * pipeline, the deadline timer, or the REJECT over a cap) is one task on the session loop that will own it. The
     * accepted connections handed over are bounded by {@code maxPendingHandshakes}; a refusal is one short task.
     */
    Channel listen(Reservation bound, Supplier<PeerChannelHandler> handlers) {
        Channel server = io.listen(bound, new AcceptOnlyServerChannel.Sink<>() {
                @Override
                public void accepted(Channel self, AcceptedConnection connection) {
                    TcpTransport.this.accepted(self, connection, handlers);
                }

                @Override
                public boolean acceptFailed() {
                    return freeDescriptor();
                }
        }, counters);
        server.config().setMaxMessagesPerRead(ACCEPTS_PER_WAKEUP);
        acceptor.register(server);
        return server;
    }

    /** On the accepting thread: the caps, the deadline's start, and the hand-off; nothing that can wait. */
    private void accepted(Channel server, AcceptedConnection connection, Supplier<PeerChannelHandler> handlers) {
        InetAddress source = connection.source();
        if (source == null) {
            connection.close(); // closed under us: nothing to count
            return;
        }
        EventLoop loop = group.next();
        Handshake handshake = new Handshake(handshakes, source, settings.openingDeadlineMillis(), counters);
        HandshakeGate.Admission admission = handshakes.tryOpen(handshake);
        Limit over = admission.refused();
        if (over != null) {
            if (refusing.incrementAndGet() > settings.maxPendingHandshakes()
                    || !handOff(loop, HandshakeGate.Prefix.of(source), () -> refuse(connection, loop, over))) {
                refusing.decrementAndGet();
                counters.refused(over, () -> "closed a connection from " + source + " at once: "
                        + settings.maxPendingHandshakes() + " refusals are already on their way");
                connection.close(); // after counting: a peer that sees the close finds it counted
            }
            return;
        }
        Handshake dropped = admission.dropped();
        if (dropped != null) {
            reset(dropped, "admit " + source + ": " + handshakes.total() + " connections (maxPendingHandshakes, at "
                    + "most a quarter of the open-file limit) have not sent their JOIN/INVITE yet");
        }
        if (!handOff(loop, handshake.prefix(), () -> open(connection, loop, handshake, handlers))) {
            connection.close();
            handshake.end();
        }
    }

    /**
     * On the accepting thread, accept() failed (EMFILE/ENFILE): the oldest pending handshake of the busiest prefix
     * is reset to free a descriptor for whoever waits in the kernel's queue; false when none is pending.
     */
    private boolean freeDescriptor() {
        Handshake dropped = handshakes.dropOldestOfBusiestPrefix();
        if (dropped == null) {
            return false;
        }
        reset(dropped, "free a descriptor: accept() failed, the open-file limit is reached");
        return true;
    }

    /**
     * Resets a handshake the gate dropped, counted and logged (summarised) with {@code why}. Counted first, so
     * whoever sees the reset also sees the count.
     */
    private void reset(Handshake dropped, String why) {
        counters.refused(Limit.PENDING_HANDSHAKES, () -> "reset a pending handshake from " + dropped.source()
                + " (the oldest of the busiest prefix, " + dropped.prefix() + ") to " + why);
        dropped.drop();
    }

    /**
     * Runs {@code task} on {@code loop} in its prefix's turn ({@link FairHandOff}); false when the loop is shutting
     * down and will not run it.
     */
    private boolean handOff(EventLoop loop, HandshakeGate.Prefix prefix, Runnable task) {
        return handOffs.computeIfAbsent(loop, FairHandOff::new).offer(prefix, task);
    }

    /**
     * On the child's loop: a session connection awaiting its opening frame. Its pipeline is built as it registers
     * (before it is active), and the handshake ends when it closes, whatever fails on the way.
     */
    private void open(AcceptedConnection connection, EventLoop loop, Handshake handshake,
                      Supplier<PeerChannelHandler> handlers) {
        Channel child = connection.newChannel();
        if (child == null) {
            handshake.end();
            return;
        }
        child.pipeline().addLast(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                if (!handshake.arm(ch)) {
                    return; // dropped for a newcomer or a descriptor before it had a channel: being reset
                }
                PeerChannelHandler handler = handlers.get();
                handler.awaitOpening(handshake);
                TcpTransport.this.initChannel(ch, handler, false);
            }
        });
        register(child, loop, handshake::end);
    }

    /**
     * On the child's loop, a connection over a pending-handshake cap: REJECT(WSAECONNREFUSED), which a joining leaf
     * reports as WSAECONNREFUSED whether or not its JOIN was out yet, then a graceful close (a RST could discard the
     * REJECT).
     */
    private void refuse(AcceptedConnection connection, EventLoop loop, Limit over) {
        Channel child = connection.newChannel();
        if (child == null) {
            refusing.decrementAndGet();
            return;
        }
        child.closeFuture().addListener(f -> refusing.decrementAndGet());
        readBeforeAdmission(child);
        counters.refused(over, () -> "refused a connection from " + child.remoteAddress() + " with WSAECONNREFUSED: "
                + handshakes.perSource() + " connections from it (maxPendingHandshakesPerSource, at most "
                + "maxPendingHandshakes) have not sent their JOIN/INVITE yet");
        child.pipeline().addLast(FrameEncoder.INSTANCE, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                PeerChannelHandler.rejectAndClose(ctx.channel(), Winsock2.WSAECONNREFUSED);
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object in) {
                ReferenceCountUtil.release(in); // whatever the peer sends meanwhile is not read further
            }
        });
        register(child, loop, () -> { });
    }

    /** Registers an accepted connection; if that fails it is closed and {@code failed} runs. */
    private static void register(Channel child, EventLoop loop, Runnable failed) {
        loop.register(child).addListener(f -> {
            if (!f.isSuccess()) {
                child.unsafe().closeForcibly();
                failed.run();
            }
        });
    }

    /**
     * Refuses new sockets, closes every open one, gives their LEAVE frames up to a third of
     * {@code timeoutMillis} to go out (an event loop that shuts down closes its channels before running queued
     * writes), then shuts the event loops down with no quiet period, waiting at most the rest.
     *
     * @return true when every event-loop thread ended in time
     */
    public boolean shutdown(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        stopped = true;
        for (ProviderSocket s : open.toArray(new ProviderSocket[0])) {
            s.close();
        }
        open.clear();
        for (Channel ch : channels) {
            if (ch.attr(PeerChannelHandler.CLOSE_CODE).get() == null) {
                ch.close(); // no socket owns it yet (a handshake in progress): nothing to say goodbye with
            }
        }
        long leaveBy = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis / 3);
        for (Channel ch : channels.toArray(new Channel[0])) {
            long left = leaveBy - System.nanoTime();
            if (left <= 0 || !ch.closeFuture().awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
                break;
            }
        }
        acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        qosTimer.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        boolean loopsEnded = group.shutdownGracefully(0, 2, TimeUnit.SECONDS)
                .awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        boolean timerEnded = qosTimer.terminationFuture()
                .awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        return acceptor.terminationFuture()
                .awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS) && loopsEnded
                && timerEnded;
    }

    /** The provider-wide byte budgets now, by the setting that sizes each (issue 15 item 4). */
    public Map<String, ProviderStatus.Budget> budgets() {
        return Map.of("maxQueuedBytes", new ProviderStatus.Budget(outbound.queued(), settings.maxQueuedBytes()),
                "maxReceivedBytes", new ProviderStatus.Budget(received.used(), settings.maxReceivedBytes()));
    }

    /** One line per event loop that ended although this transport was not stopped (an Error killed its thread). */
    public List<String> stoppedEventLoops() {
        List<String> out = new ArrayList<>();
        if (stopped) {
            return out;
        }
        addStopped(group, THREAD_PREFIX, out);
        addStopped(acceptor, THREAD_PREFIX + "-accept", out);
        return out;
    }

    private static void addStopped(EventLoopGroup loops, String name, List<String> out) {
        int i = 0;
        for (EventExecutor loop : loops) {
            i++;
            if (loop.isShuttingDown()) {
                out.add(name + " event loop " + i + " has stopped");
            }
        }
    }
}
