package org.joinleaf.local;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.FailureLog;
import org.joinleaf.spi.WsaException;

/**
 * One activation's virtual network: its addresses, multicast groups, open sockets, settings, and the single timer
 * thread that expires joins. {@link #shutdown} closes every socket silently and stops the timer.
 */
final class LocalNetwork {
    private static final long TIMER_STOP_MILLIS = 2000;
    private static final System.Logger LOG = System.getLogger(LocalNetwork.class.getName());

    /** Replaced whole by a live configuration change ({@link LocalProvider#modified}). */
    volatile LocalSettings settings;
    final AddressSpace addresses = new AddressSpace();
    final MulticastGroups groups = new MulticastGroups();
    final ReceiveBudget budget;

    private final Set<LocalSocket> open = ConcurrentHashMap.newKeySet();
    private final ScheduledThreadPoolExecutor timer;
    private final AtomicLong droppedDatagrams = new AtomicLong();
    private final AtomicLong evictedLeaves = new AtomicLong();
    private final FailureLog failures = new FailureLog(LOG, "delivery step(s) of the local provider failed",
            "the others went on", 10, TimeUnit.SECONDS);
    private volatile boolean down;

    LocalNetwork(LocalSettings settings) {
        this.settings = settings;
        this.budget = new ReceiveBudget(settings.receiveLimits().totalBytes());
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "joinleaf-local-join-timeouts");
            t.setDaemon(true);
            return t;
        });
        // Answered joins cancel their timeout; removing it keeps the timer queue as small as the pending joins.
        timer.setRemoveOnCancelPolicy(true);
    }

    Outbox outbox() {
        return new Outbox(this);
    }

    boolean isDown() {
        return down;
    }

    void checkUp() throws WsaException {
        if (down) {
            throw new WsaException(Winsock2.WSAENETDOWN, "the local provider was stopped; create a new socket");
        }
    }

    /** Tracks a new socket so that {@link #shutdown} can close it. */
    <T extends LocalSocket> T register(T socket) throws WsaException {
        open.add(socket);
        if (down) {
            open.remove(socket);
            checkUp();
        }
        return socket;
    }

    void forget(LocalSocket socket) {
        open.remove(socket);
    }

    int openSockets() {
        return open.size();
    }

    ScheduledFuture<?> schedule(Runnable task, long millis) {
        return timer.schedule(() -> survive(task), millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs one step of a delivery (an upcall, a completion, a join timeout) so that nothing it throws, an
     * {@code OutOfMemoryError} included, stops the steps after it: the failure is counted and logged at most once
     * every 10 s.
     */
    void survive(Runnable step) {
        try {
            step.run();
        } catch (Throwable t) {
            failures.failed(t);
        }
    }

    /** Delivery steps that threw and were skipped. */
    long failures() {
        return failures.count();
    }

    /** A copy of caller or callee data, refused with {@code WSAEFAULT} over {@code maxConnectData} (§3 R4). */
    byte[] connectData(byte[] data) throws WsaException {
        if (data != null && data.length > settings.maxConnectData()) {
            throw new WsaException(Winsock2.WSAEFAULT, "connect data of " + data.length + " bytes exceeds the "
                    + settings.maxConnectData() + " the local provider carries (maxConnectData)");
        }
        return data == null ? null : data.clone();
    }

    /** The bytes of one outgoing message, refused with {@code WSAEMSGSIZE} over {@code maxMessageSize}. */
    byte[] messageBytes(ByteBuffer message) throws WsaException {
        int n = message.remaining();
        if (n > settings.maxMessageSize()) {
            throw new WsaException(Winsock2.WSAEMSGSIZE, "message of " + n + " bytes exceeds the "
                    + settings.maxMessageSize() + "-byte limit (maxMessageSize); split it");
        }
        byte[] data = new byte[n];
        message.duplicate().get(data);
        return data;
    }

    /** True when the join-timeout thread ended while the network still runs. */
    boolean timerStopped() {
        return !down && timer.isShutdown();
    }

    void countDroppedDatagram() {
        droppedDatagrams.incrementAndGet();
    }

    long droppedDatagrams() {
        return droppedDatagrams.get();
    }

    void countEvictedLeaf() {
        evictedLeaves.incrementAndGet();
    }

    long evictedLeaves() {
        return evictedLeaves.get();
    }

    /** Refuses new work, closes every socket without upcalls, and stops the timer within a bounded wait. */
    void shutdown() {
        down = true;
        for (LocalSocket s : List.copyOf(open)) {
            s.close();
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(TIMER_STOP_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
