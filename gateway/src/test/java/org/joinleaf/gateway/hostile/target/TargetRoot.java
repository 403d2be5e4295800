package org.joinleaf.gateway.hostile.target;

import static org.joinleaf.api.Winsock2.*;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.joinleaf.api.LPCONDITIONPROC;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSAEVENT;
import org.joinleaf.api.WSANETWORKEVENTS;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.api.Winsock;

/**
 * The legitimate root the suite attacks, running inside the gateway: a c_root on provider.tcp at 127.0.0.1 that
 * accepts every join, streams sequence-numbered messages ({@code 'R'}, an 8-byte sequence number, padding) to every
 * member at a fixed interval, and reads what members send (all of it, one message per 100 ms, or nothing). A send
 * refused with WSAEWOULDBLOCK is retried with the same number, so a member that stays joined sees no gap. It closes
 * each c_leaf whose FD_CLOSE it sees and counts the codes, and counts received messages per source 127.b.0.0/16.
 */
final class TargetRoot {
    static final byte MARKER = 'R';
    private static final int ACCEPTS_PER_ROUND = 512;
    private static final int READS_PER_ROUND = 4096;
    private static final long SLOW_READ_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long SWEEP_MIN_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    enum Reads { ALL, SLOW, NONE }

    private final Winsock ws;
    private final Reads reads;
    /** WSAAccept without a condition: the gateway's admission policy decides. */
    private final boolean byPolicy;
    private final long intervalNanos;
    private final byte[] message;
    private final byte[] buffer = new byte[64 * 1024 + 1];
    final SOCKET root;
    final String address;
    private final List<SOCKET> leaves = new ArrayList<>(); // root thread only
    private final Thread thread;
    private volatile boolean running = true;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong wouldBlock = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong members = new AtomicLong();
    private final Map<Integer, AtomicLong> sendErrors = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicLong> acceptErrors = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicLong> closes = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> received = new ConcurrentHashMap<>();

    TargetRoot(Winsock ws, boolean relayed, Reads reads, int intervalMillis, int payloadBytes, boolean byPolicy) {
        this.ws = ws;
        this.byPolicy = byPolicy;
        this.reads = reads;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        this.message = new byte[Math.max(9, payloadBytes)];
        message[0] = MARKER;
        // a non-rooted data plane has no data root: the root's socket is a d_leaf there
        root = ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, entry(ws, relayed), 0,
                WSA_FLAG_MULTIPOINT_C_ROOT | (relayed ? WSA_FLAG_MULTIPOINT_D_LEAF : WSA_FLAG_MULTIPOINT_D_ROOT));
        address = listen(ws, root);
        thread = new Thread(this::loop, "hostile-root");
        thread.setDaemon(true);
        thread.start();
    }

    /** provider.tcp's IPv4 entry with the rooted or the relayed data plane. */
    static WSAPROTOCOL_INFO entry(Winsock ws, boolean relayed) {
        int[] len = {0};
        ws.WSAEnumProtocols(null, null, len);
        WSAPROTOCOL_INFO[] all = WSAPROTOCOL_INFO.array(len[0]);
        int n = ws.WSAEnumProtocols(null, all, len);
        String name = relayed ? "joinleaf tcp multipoint [rooted control, non-rooted data]"
                : "joinleaf tcp multipoint [rooted]";
        for (int i = 0; i < n; i++) {
            if (all[i].iAddressFamily == AF_INET && all[i].szProtocol.equals(name)) {
                return all[i];
            }
        }
        throw new IllegalStateException("no catalog entry '" + name + "': is provider.tcp started?");
    }

    /** Binds to 127.0.0.1:0 and listens; returns the address. */
    static String listen(Winsock ws, SOCKET s) {
        if (s.equals(SOCKET.INVALID_SOCKET)) {
            throw new IllegalStateException("WSASocket failed: " + ws.WSAGetLastError());
        }
        SOCKADDR any = SOCKADDR.of("127.0.0.1", 0);
        if (ws.bind(s, any, any.size()) != 0 || ws.listen(s, 128) != 0) {
            throw new IllegalStateException("bind/listen failed: " + ws.WSAGetLastError());
        }
        SOCKADDR at = new SOCKADDR();
        ws.getsockname(s, at, new int[] {SOCKADDR.SIZEOF_SOCKADDR_STORAGE});
        return at.toString();
    }

    private void loop() {
        WSAEVENT rootEvent = ws.WSACreateEvent();
        WSAEVENT leafEvent = ws.WSACreateEvent();
        ws.WSAEventSelect(root, rootEvent, FD_ACCEPT | FD_READ | FD_WRITE | FD_CLOSE);
        long nextSend = System.nanoTime();
        long nextSlowRead = nextSend;
        long nextSweep = nextSend;
        long lastSweep = nextSend - SWEEP_MIN_NANOS;
        long lastRefusal = nextSend;
        boolean refusedSend = false;
        try {
            while (running) {
                long now = System.nanoTime();
                // A refused send is retried at FD_WRITE or after an interval, never in a spin (a spinning root took
                // the gateway's CPU and heap in the raw-JOIN case); a burst of FD_CLOSEs is swept at most every
                // SWEEP_MIN_NANOS (each sweep walks every member).
                long sendAt = refusedSend ? Math.max(nextSend, lastRefusal + intervalNanos) : nextSend;
                int waitMs = (int) Math.max(0, TimeUnit.NANOSECONDS.toMillis(Math.min(sendAt - now, intervalNanos)));
                boolean sweepable = now - lastSweep >= SWEEP_MIN_NANOS;
                int r = ws.WSAWaitForMultipleEvents(sweepable ? 2 : 1, new WSAEVENT[] {rootEvent, leafEvent}, false,
                        sweepable ? waitMs : (int) Math.min(waitMs, TimeUnit.NANOSECONDS.toMillis(SWEEP_MIN_NANOS)),
                        false);
                if (r == WSA_WAIT_EVENT_0) {
                    WSANETWORKEVENTS ne = new WSANETWORKEVENTS();
                    ws.WSAEnumNetworkEvents(root, rootEvent, ne);
                    if ((ne.lNetworkEvents & FD_ACCEPT) != 0) {
                        acceptAll(leafEvent);
                    }
                }
                now = System.nanoTime();
                if (reads == Reads.ALL) {
                    read(READS_PER_ROUND);
                } else if (reads == Reads.SLOW && now - nextSlowRead >= 0) {
                    read(1);
                    nextSlowRead = now + SLOW_READ_NANOS;
                }
                if (r == WSA_WAIT_EVENT_0 + 1 || now - nextSweep >= 0) {
                    ws.WSAResetEvent(leafEvent);
                    sweep();
                    nextSweep = now + SWEEP_NANOS;
                    lastSweep = now;
                }
                if (now - nextSend >= 0 && (!refusedSend || r == WSA_WAIT_EVENT_0
                        || now - lastRefusal >= intervalNanos)) {
                    refusedSend = !send();
                    if (!refusedSend) {
                        nextSend += intervalNanos;
                    } else {
                        lastRefusal = now;
                    }
                    if (now - nextSend > TimeUnit.SECONDS.toNanos(1)) {
                        nextSend = now; // a long stall does not turn into a burst
                    }
                }
            }
        } catch (Throwable t) { // an application must survive what the provider does; record and end
            System.out.println("hostile-root loop ended: " + t);
        } finally {
            ws.WSACloseEvent(rootEvent);
            ws.WSACloseEvent(leafEvent);
        }
    }

    private boolean send() {
        ByteBuffer.wrap(message, 1, 8).putLong(sent.get());
        if (ws.send(root, message, message.length, 0) != SOCKET_ERROR) {
            sent.incrementAndGet();
            return true;
        }
        int error = ws.WSAGetLastError();
        if (error == WSAEWOULDBLOCK) {
            wouldBlock.incrementAndGet();
        } else {
            sendErrors.computeIfAbsent(error, k -> new AtomicLong()).incrementAndGet();
        }
        return false;
    }

    private void acceptAll(WSAEVENT leafEvent) {
        LPCONDITIONPROC acceptEveryone = (callerId, callerData, sqos, gqos, calleeId, calleeData, g, cb) -> CF_ACCEPT;
        for (int i = 0; i < ACCEPTS_PER_ROUND; i++) {
            SOCKET c = ws.WSAAccept(root, null, null, byPolicy ? null : acceptEveryone, 0);
            if (c.equals(SOCKET.INVALID_SOCKET)) {
                int error = ws.WSAGetLastError();
                if (error != WSAEWOULDBLOCK) {
                    acceptErrors.computeIfAbsent(error, k -> new AtomicLong()).incrementAndGet();
                }
                return;
            }
            accepted.incrementAndGet();
            ws.WSAEventSelect(c, leafEvent, FD_CLOSE);
            leaves.add(c);
            members.set(leaves.size());
        }
    }

    /** Closes every c_leaf that reported FD_CLOSE, counting its code. */
    private void sweep() {
        WSANETWORKEVENTS ne = new WSANETWORKEVENTS();
        for (int i = leaves.size() - 1; i >= 0; i--) {
            SOCKET c = leaves.get(i);
            ne.lNetworkEvents = 0;
            boolean gone = ws.WSAEnumNetworkEvents(c, null, ne) != 0;
            if (!gone && (ne.lNetworkEvents & FD_CLOSE) != 0) {
                closes.computeIfAbsent(ne.iErrorCode[FD_CLOSE_BIT], k -> new AtomicLong()).incrementAndGet();
                gone = true;
            }
            if (gone) {
                ws.closesocket(c);
                leaves.set(i, leaves.get(leaves.size() - 1));
                leaves.remove(leaves.size() - 1);
            }
        }
        members.set(leaves.size());
    }

    private void read(int max) {
        SOCKADDR from = new SOCKADDR();
        for (int i = 0; i < max; i++) {
            int n = ws.recvfrom(root, buffer, buffer.length, 0, from, new int[] {SOCKADDR.SIZEOF_SOCKADDR_STORAGE});
            if (n == SOCKET_ERROR) {
                return;
            }
            received.computeIfAbsent(prefix(from), k -> new AtomicLong()).incrementAndGet();
        }
    }

    private static String prefix(SOCKADDR from) {
        try {
            InetAddress a = from.toInetSocketAddress().getAddress();
            byte[] b = a.getAddress();
            return b.length == 4 ? (b[0] & 0xff) + "." + (b[1] & 0xff) + ".*" : a.getHostAddress();
        } catch (RuntimeException e) {
            return "?";
        }
    }

    String stats() {
        return "stats sent=" + sent + " wouldBlock=" + wouldBlock + " accepted=" + accepted + " members=" + members
                + " sendErrors=" + sorted(sendErrors) + " acceptErrors=" + sorted(acceptErrors) + " closes="
                + sorted(closes) + " received=" + sorted(received);
    }

    private static <K> String sorted(Map<K, AtomicLong> m) {
        return new TreeMap<>(m).toString().replace(" ", "");
    }

    void stop() {
        running = false;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SOCKET c : leaves) {
            ws.closesocket(c);
        }
        leaves.clear();
        ws.closesocket(root);
    }
}
