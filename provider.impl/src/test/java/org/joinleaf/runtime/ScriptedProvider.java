package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertNotNull;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.FLOWSPEC;
import org.joinleaf.api.QOS;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.spi.ConnectCompletion;
import org.joinleaf.spi.ConnectRequest;
import org.joinleaf.spi.ConnectionRequest;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.spi.TransportProvider;
import org.joinleaf.spi.WsaException;

/**
 * A transport provider the test drives by hand: it records every SPI call, and nothing happens on the "network"
 * until the test says so ({@link Join#complete}, {@link ScriptedSocket#deliver}, {@link ScriptedSocket#queue},
 * {@link ScriptedSocket#post}). Its sockets implement {@link MultipointSocket} unless it was built
 * {@link #withoutJoin()}, which stands for a provider like Windows CE's built-in one (decisions 1).
 */
final class ScriptedProvider implements TransportProvider {
    /** Bounds every wait of a test on the runtime; generous because the machine is shared. */
    static final long WAIT_SECONDS = 10;
    /** Bound of every queue of the scripted transport. */
    static final int MAX_QUEUED = 64;

    private final List<WSAPROTOCOL_INFO> entries = new ArrayList<>();
    private final UUID id = UUID.randomUUID();
    private final boolean joins;
    private final List<ScriptedSocket> sockets = new ArrayList<>();
    private final BlockingQueue<Join> joinsStarted = new ArrayBlockingQueue<>(MAX_QUEUED);
    private Join lastJoin;
    private WsaException nextJoinFailure;
    private RuntimeException nextJoinCrash;
    private boolean multipointOnly;
    /** What the next c_root join returns instead of a new transport: "null" or "self" (a provider bug). */
    private String nextRootJoinAnswer;

    private ScriptedProvider(boolean joins) {
        this.joins = joins;
    }

    /** A provider whose sockets support {@code WSPJoinLeaf}. */
    static ScriptedProvider withJoin() {
        return new ScriptedProvider(true);
    }

    /** A provider whose sockets are plain {@link ProviderSocket}s (no {@code WSPJoinLeaf}). */
    static ScriptedProvider withoutJoin() {
        return new ScriptedProvider(false);
    }

    /** Refuses sockets without multipoint flags with WSAESOCKTNOSUPPORT, as a multipoint-only transport does. */
    ScriptedProvider multipointOnly() {
        multipointOnly = true;
        return this;
    }

    /** Adds a catalog entry (builder style). */
    ScriptedProvider entry(String name, int af, int type, int protocol, int serviceFlags1) {
        WSAPROTOCOL_INFO i = new WSAPROTOCOL_INFO();
        i.szProtocol = name;
        i.ProviderId = id;
        i.iAddressFamily = af;
        i.iSocketType = type;
        i.iProtocol = protocol;
        i.dwServiceFlags1 = serviceFlags1;
        i.iMinSockAddr = af == AF_INET6 ? SOCKADDR.SIZEOF_SOCKADDR_IN6 : SOCKADDR.SIZEOF_SOCKADDR_IN;
        i.iMaxSockAddr = i.iMinSockAddr;
        i.dwMessageSize = 0xFFFF;
        entries.add(i);
        return this;
    }

    /** The last entry added, to tweak provider flags or the chain length. */
    WSAPROTOCOL_INFO lastEntry() {
        return entries.get(entries.size() - 1);
    }

    UUID id() {
        return id;
    }

    @Override
    public List<WSAPROTOCOL_INFO> protocols() {
        return entries;
    }

    @Override
    public synchronized ProviderSocket socket(WSAPROTOCOL_INFO entry, int dwFlags, SocketUpcalls upcalls)
            throws WsaException {
        if (multipointOnly && (dwFlags & (WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_C_LEAF)) == 0) {
            throw new WsaException(WSAESOCKTNOSUPPORT, "this scripted transport makes multipoint sockets only");
        }
        ScriptedSocket s = joins ? new ScriptedMultipointSocket(entry, dwFlags, upcalls)
                : new ScriptedSocket(entry, dwFlags, upcalls);
        sockets.add(s);
        return s;
    }

    synchronized List<ScriptedSocket> sockets() {
        return new ArrayList<>(sockets);
    }

    synchronized ScriptedSocket lastSocket() {
        assertNotNull("the provider created no socket", sockets.isEmpty() ? null : sockets.get(sockets.size() - 1));
        return sockets.get(sockets.size() - 1);
    }

    /** The next join throws {@code e} synchronously (and is not recorded as started). */
    synchronized void failNextJoin(WsaException e) {
        nextJoinFailure = e;
    }

    /** The next join throws a runtime exception, as a buggy provider would. */
    synchronized void crashNextJoin(RuntimeException e) {
        nextJoinCrash = e;
    }

    /** The next c_root join returns {@code null} (or, with {@code self}, the root's own transport). */
    synchronized void answerNextRootJoinWith(boolean self) {
        nextRootJoinAnswer = self ? "self" : "null";
    }

    private synchronized String takeRootJoinAnswer() {
        String a = nextRootJoinAnswer;
        nextRootJoinAnswer = null;
        return a;
    }

    /** The most recent join the runtime started on any socket of this provider. */
    synchronized Join lastJoin() {
        assertNotNull("no join reached the provider", lastJoin);
        return lastJoin;
    }

    /** Waits until the runtime starts the next join (for joins started on another thread). */
    Join nextJoin() throws InterruptedException {
        Join j = joinsStarted.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull("no join reached the provider within " + WAIT_SECONDS + " s", j);
        return j;
    }

    /**
     * Waits for the next join, or returns {@code null} as soon as {@code caller} finished without starting one (a
     * bounded poll, so a wrongly refused join fails fast with its own error instead of a timeout).
     */
    Join nextJoinUnless(Future<?> caller) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            Join j = joinsStarted.poll(20, TimeUnit.MILLISECONDS);
            if (j != null) {
                return j;
            }
            if (caller.isDone()) {
                return joinsStarted.poll();
            }
        }
        throw new AssertionError("no join reached the provider within " + WAIT_SECONDS + " s");
    }

    private synchronized void throwIfScripted() throws WsaException {
        WsaException e = nextJoinFailure;
        RuntimeException crash = nextJoinCrash;
        nextJoinFailure = null;
        nextJoinCrash = null;
        if (e != null) {
            throw e;
        }
        if (crash != null) {
            throw crash;
        }
    }

    private void started(Join j) {
        synchronized (this) {
            lastJoin = j;
        }
        if (!joinsStarted.offer(j)) {
            throw new IllegalStateException("more than 64 joins in one test");
        }
    }

    /** One {@code join} (or {@code connect}) call as the provider saw it; the test finishes it. */
    static final class Join {
        final ScriptedSocket socket;
        final ConnectRequest request;
        final ConnectCompletion completion;
        /** What {@code join} returned: the socket itself (c_leaf) or the invited leaf's transport (c_root). */
        final ScriptedSocket returned;

        Join(ScriptedSocket socket, ConnectRequest request, ConnectCompletion completion, ScriptedSocket returned) {
            this.socket = socket;
            this.request = request;
            this.completion = completion;
            this.returned = returned;
        }

        void complete(byte[] calleeData) {
            completion.connected(calleeData);
        }

        void fail(int code) {
            completion.failed(code, "scripted failure " + code);
        }
    }

    /** A plain transport: records calls, queues inbound messages and connection requests the test supplies. */
    static class ScriptedSocket implements ProviderSocket {
        final WSAPROTOCOL_INFO entry;
        final int dwFlags;
        final SocketUpcalls upcalls;
        private final List<String> calls = new ArrayList<>();
        private final Deque<byte[]> inbound = new ArrayDeque<>();
        private final Deque<ScriptedRequest> backlog = new ArrayDeque<>();
        private final List<byte[]> sent = new ArrayList<>();
        private SOCKADDR local;
        private boolean listening;
        private int closes;
        private Runnable onClose = () -> { };
        private Runnable duringSend = () -> { };
        /** Run once by the next {@link #available} after it looked at the queue (a message arriving just then). */
        private Runnable afterLook = () -> { };
        /** While true, send answers WSAEWOULDBLOCK (a full send buffer). */
        private boolean full;
        private boolean beyondHead;
        /** The QoS as the application gave it (SIO_SET_QOS or the join's lpSQOS), kept whole as a naive provider. */
        private QOS qos = new QOS();

        ScriptedSocket(WSAPROTOCOL_INFO entry, int dwFlags, SocketUpcalls upcalls) {
            this.entry = entry;
            this.dwFlags = dwFlags;
            this.upcalls = upcalls;
        }

        synchronized void record(String call) {
            calls.add(call);
        }

        synchronized List<String> calls() {
            return new ArrayList<>(calls);
        }

        synchronized int closes() {
            return closes;
        }

        synchronized List<byte[]> sent() {
            return new ArrayList<>(sent);
        }

        /** A message arrives: queued, then reported as the SPI asks (every arrival). */
        void deliver(byte[] message) {
            synchronized (this) {
                checkRoom(inbound);
                inbound.add(message.clone());
            }
            upcalls.post(FD_READ_BIT, 0);
        }

        /** A connection request arrives on this listening socket. */
        ScriptedRequest queue(SOCKADDR caller, byte[] callerData, QOS qos, int calleeCapacity) {
            ScriptedRequest r = new ScriptedRequest(this, caller, callerData, qos, calleeCapacity);
            synchronized (this) {
                checkRoom(backlog);
                backlog.add(r);
            }
            upcalls.post(FD_ACCEPT_BIT, 0);
            return r;
        }

        /** Test queues are bounded too: a test that queues this much has a bug. */
        /** A message arrives; FD_READ is posted only when the queue turns non-empty, as decision 31 allows. */
        void deliverPostingOnTransition(byte[] message) {
            boolean wasEmpty;
            synchronized (this) {
                checkRoom(inbound);
                wasEmpty = inbound.isEmpty();
                inbound.add(message.clone());
            }
            if (wasEmpty) {
                upcalls.post(FD_READ_BIT, 0);
            }
        }

        synchronized int queued() {
            return inbound.size();
        }

        private static void checkRoom(Deque<?> q) {
            if (q.size() >= MAX_QUEUED) {
                throw new IllegalStateException("more than " + MAX_QUEUED + " queued in one test");
            }
        }

        void post(int fdBit, int errorCode) {
            upcalls.post(fdBit, errorCode);
        }

        synchronized void implicitBind() {
            if (local == null) {
                local = SOCKADDR.of("127.0.0.1", 40000 + calls.size());
            }
        }

        synchronized void dequeue(ScriptedRequest r) {
            backlog.remove(r);
        }

        @Override
        public synchronized void bind(SOCKADDR name) {
            calls.add("bind");
            local = new SOCKADDR().set(name);
        }

        @Override
        public synchronized SOCKADDR localAddress() {
            return local == null ? null : new SOCKADDR().set(local);
        }

        @Override
        public synchronized void listen(int backlogSize) {
            calls.add("listen");
            listening = true;
        }

        @Override
        public synchronized boolean isListening() {
            return listening;
        }

        @Override
        public synchronized ConnectionRequest pendingRequest() {
            return backlog.peek();
        }

        /** With {@link #offerBeyondHead}, as a provider that lets accepts run in parallel; else the SPI default. */
        @Override
        public synchronized ConnectionRequest pendingRequest(Set<ConnectionRequest> deciding) {
            if (!beyondHead) {
                return ProviderSocket.super.pendingRequest(deciding);
            }
            for (ScriptedRequest r : backlog) {
                if (!deciding.contains(r)) {
                    return r;
                }
            }
            return null;
        }

        /** Offer parallel accepts the first request not being decided (true), or only the head (the default). */
        synchronized void offerBeyondHead(boolean value) {
            beyondHead = value;
        }

        /** Fills (true) or drains (false, reporting FD_WRITE) the scripted send buffer. */
        void sendBufferFull(boolean value) {
            synchronized (this) {
                full = value;
            }
            if (!value) {
                upcalls.post(FD_WRITE_BIT, 0);
            }
        }

        /** Runs inside the next sends, e.g. the provider leaving while a call is in it. */
        synchronized void duringSend(Runnable r) {
            duringSend = r;
        }

        @Override
        public synchronized int send(ByteBuffer message, SOCKADDR to) throws WsaException {
            calls.add("send");
            duringSend.run();
            if (full) {
                throw new WsaException(WSAEWOULDBLOCK, "the scripted send buffer is full");
            }
            if (closes > 0) {
                throw new WsaException(WSAENOTSOCK, "the transport was closed");
            }
            byte[] b = new byte[message.remaining()];
            message.get(b);
            sent.add(b);
            return b.length;
        }

        @Override
        public synchronized int receive(ByteBuffer buffer, SOCKADDR from, boolean peek) throws WsaException {
            calls.add("receive");
            byte[] m = peek ? inbound.peek() : inbound.poll();
            if (m == null) {
                throw new WsaException(WSAEWOULDBLOCK, "nothing queued");
            }
            buffer.put(m, 0, Math.min(m.length, buffer.remaining()));
            return m.length;
        }

        /** SIO_SET_QOS keeps the QOS, SIO_GET_QOS copies it out; both flowspecs, whatever the direction. */
        @Override
        public synchronized void ioctl(int code, Object in, Object out) throws WsaException {
            calls.add("ioctl");
            if (code == SIO_SET_QOS) {
                qos = new QOS((QOS) in);
            } else if (code == SIO_GET_QOS) {
                ((QOS) out).SendingFlowspec = new FLOWSPEC(qos.SendingFlowspec);
                ((QOS) out).ReceivingFlowspec = new FLOWSPEC(qos.ReceivingFlowspec);
            } else {
                throw new WsaException(WSAEOPNOTSUPP, "the scripted transport offers only the QoS ioctls");
            }
        }

        /** Records {@code setOption} as "setOption level/name=value" (issue 13); every option is taken. */
        @Override
        public synchronized void setOption(int level, int optname, Object value) {
            calls.add("setOption " + level + "/" + optname + "=" + value);
        }

        synchronized void keepQos(QOS q) {
            if (q != null) {
                qos = new QOS(q);
            }
        }

        @Override
        public int available() {
            int length;
            Runnable then;
            synchronized (this) {
                byte[] m = inbound.peek();
                length = m == null ? 0 : m.length;
                then = afterLook;
                afterLook = () -> { };
            }
            then.run(); // outside the lock, as an event loop delivering meanwhile would
            return length;
        }

        /** {@code action} runs once, right after the next look at the queue has given its answer. */
        synchronized void afterNextLook(Runnable action) {
            afterLook = action;
        }

        @Override
        public void close() {
            synchronized (this) {
                calls.add("close");
                closes++;
            }
            onClose.run(); // outside the lock, as a provider reporting on other sockets would
        }

        /** What closing this socket makes the transport do, e.g. report on a peer socket. */
        synchronized void onClose(Runnable action) {
            onClose = action;
        }
    }

    /** A transport that supports {@code WSPJoinLeaf}. */
    final class ScriptedMultipointSocket extends ScriptedSocket implements MultipointSocket {
        ScriptedMultipointSocket(WSAPROTOCOL_INFO entry, int dwFlags, SocketUpcalls upcalls) {
            super(entry, dwFlags, upcalls);
        }

        @Override
        public ProviderSocket join(ConnectRequest request, ConnectCompletion completion) throws WsaException {
            record("join");
            throwIfScripted();
            keepQos(request.qos());
            implicitBind(); // R10: the join binds an unbound socket
            ScriptedSocket returned = this;
            if ((dwFlags & WSA_FLAG_MULTIPOINT_C_ROOT) != 0) {
                returned = new ScriptedMultipointSocket(entry,
                        (dwFlags & ~WSA_FLAG_MULTIPOINT_C_ROOT) | WSA_FLAG_MULTIPOINT_C_LEAF,
                        request.newSocketUpcalls());
                synchronized (ScriptedProvider.this) {
                    sockets.add(returned);
                }
            }
            started(new Join(this, request, completion, returned));
            String bug = (dwFlags & WSA_FLAG_MULTIPOINT_C_ROOT) != 0 ? takeRootJoinAnswer() : null;
            return bug == null ? returned : bug.equals("self") ? this : null;
        }

        @Override
        public void connect(ConnectRequest request, ConnectCompletion completion) {
            record("connect");
            implicitBind();
            started(new Join(this, request, completion, this));
        }
    }

    /** A connection request queued on a listening {@link ScriptedSocket}. */
    static final class ScriptedRequest implements ConnectionRequest {
        private final ScriptedSocket listener;
        private final SOCKADDR caller;
        private final byte[] callerData;
        private final QOS qos;
        private final int calleeCapacity;
        private byte[] acceptedWith;
        private ScriptedSocket accepted;
        private boolean rejected;
        private boolean withdrawn;

        ScriptedRequest(ScriptedSocket listener, SOCKADDR caller, byte[] callerData, QOS qos, int calleeCapacity) {
            this.listener = listener;
            this.caller = caller;
            this.callerData = callerData;
            this.qos = qos;
            this.calleeCapacity = calleeCapacity;
        }

        @Override
        public SOCKADDR callerAddress() {
            return new SOCKADDR().set(caller);
        }

        @Override
        public byte[] callerData() {
            return callerData == null ? null : callerData.clone();
        }

        @Override
        public QOS callerQos() {
            return qos == null ? null : new QOS(qos);
        }

        @Override
        public int calleeDataCapacity() {
            return calleeCapacity;
        }

        /** The caller goes away: a later {@link #accept} fails with {@code WSAECONNRESET}, as the SPI says. */
        synchronized void withdraw() {
            withdrawn = true;
        }

        @Override
        public ProviderSocket accept(byte[] calleeData, SocketUpcalls upcalls) throws WsaException {
            synchronized (this) {
                if (withdrawn) {
                    listener.dequeue(this);
                    throw new WsaException(WSAECONNRESET, "the caller went away");
                }
            }
            ScriptedSocket s = new ScriptedSocket(listener.entry, listener.dwFlags, upcalls);
            synchronized (this) {
                acceptedWith = calleeData.clone();
                accepted = s;
            }
            listener.dequeue(this);
            return s;
        }

        @Override
        public synchronized void reject() {
            rejected = true;
            listener.dequeue(this);
        }

        synchronized byte[] acceptedWith() {
            return acceptedWith;
        }

        synchronized ScriptedSocket accepted() {
            return accepted;
        }

        synchronized boolean rejected() {
            return rejected;
        }
    }
}
