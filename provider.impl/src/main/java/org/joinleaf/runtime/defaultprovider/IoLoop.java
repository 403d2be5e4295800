package org.joinleaf.runtime.defaultprovider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.joinleaf.spi.FailureLog;

/**
 * The provider's one selector thread ({@value #THREAD_NAME}). It does all waiting for the network so that every
 * {@code ProviderSocket} call can return at once. Handlers ask for a {@code sync} through {@link #schedule}; the
 * queue holds each handler at most once, so it stays within its capacity (twice the provider's socket limit, as a
 * socket closed before the loop got to it may still be queued while its successor is).
 *
 * <p>It never dies of what one socket does: any throwable while a handler runs, an {@code OutOfMemoryError}
 * included, is counted and handed to {@link IoHandler#failed} (a datagram is dropped, a connection aborted) and
 * the loop goes on. Only a selector that no longer selects ends it, and then {@code onFatal} runs on this thread so
 * that the provider can close its sockets with {@code WSAENETDOWN} and leave the catalog.
 */
final class IoLoop {
    static final String THREAD_NAME = "joinleaf-default-io";
    private static final System.Logger LOG = System.getLogger(IoLoop.class.getName());

    /** Test seam: code the loop runs at its two failure points. Production has none. */
    interface Faults {
        default void beforeSelect() throws IOException {
        }

        /** Runs as a socket reads: after a datagram was received, before a connection is read. */
        default void duringRead() {
        }
    }

    private static final Faults NO_FAULTS = new Faults() {
    };

    private final Selector selector;
    private final ArrayBlockingQueue<IoHandler> syncQueue;
    private final Thread thread;
    private final Runnable onFatal;
    /** Room for any UDP datagram; used by the loop thread only, shared by all sockets. */
    private final ByteBuffer datagramScratch = ByteBuffer.allocateDirect(65536);
    /** One line at most every 10 s, with the count since the last: a peer can make these happen at will. */
    private final FailureLog failures = new FailureLog(LOG, "failure(s) in the default provider's I/O thread",
            "the socket concerned gave up, the thread goes on", 10, TimeUnit.SECONDS);
    private volatile boolean running = true;
    private volatile Faults faults = NO_FAULTS;

    IoLoop(int maxHandlers) {
        this(maxHandlers, () -> { });
    }

    IoLoop(int maxHandlers, Runnable onFatal) {
        this.onFatal = onFatal;
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for the default provider", e);
        }
        syncQueue = new ArrayBlockingQueue<>(maxHandlers);
        thread = new Thread(this::run, THREAD_NAME);
        thread.setDaemon(true);
        thread.start();
    }

    /** Asks the loop to call {@code handler.sync}; cheap when already asked. Any thread. */
    void schedule(IoHandler handler) {
        if (handler.queued.compareAndSet(false, true)) {
            if (!syncQueue.offer(handler)) {
                handler.queued.set(false);
                throw new IllegalStateException("default provider I/O queue overflow: more handlers than sockets");
            }
            selector.wakeup();
        }
    }

    /** The loop thread's buffer for one received datagram. */
    ByteBuffer datagramScratch() {
        return datagramScratch;
    }

    /** Runs the test seam of every read. */
    void duringRead() {
        faults.duringRead();
    }

    /** Installs a test seam (package-private: tests only) and wakes the loop so that it applies at once. */
    void injectFaults(Faults f) {
        faults = f;
        selector.wakeup();
    }

    /** Throwables the loop caught and survived. */
    long failures() {
        return failures.count();
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    /** Stops the thread and closes every channel still registered; waits at most {@code timeoutMillis}. */
    boolean shutdown(long timeoutMillis) throws InterruptedException {
        running = false;
        selector.wakeup();
        if (Thread.currentThread() != thread) {
            thread.join(timeoutMillis);
        }
        return !thread.isAlive() || Thread.currentThread() == thread;
    }

    private void run() {
        try {
            while (running) {
                syncScheduled();
                try {
                    faults.beforeSelect();
                    selector.select();
                } catch (IOException | ClosedSelectorException e) {
                    if (running) {
                        fatal(e);
                    }
                    return;
                } catch (Throwable t) { // an OutOfMemoryError in select() passes like any other
                    failures.failed(t);
                    continue;
                }
                try {
                    for (SelectionKey key : selector.selectedKeys()) {
                        dispatch(key);
                    }
                } catch (Throwable t) {
                    failures.failed(t);
                } finally {
                    selector.selectedKeys().clear();
                }
            }
        } finally {
            closeAll();
        }
    }

    private void fatal(Exception e) {
        running = false;
        LOG.log(System.Logger.Level.ERROR, "the default provider's I/O thread cannot select any more (" + e
                + "); it closes its sockets with WSAENETDOWN and leaves the catalog", e);
        try {
            onFatal.run();
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, "closing the default provider after its I/O thread failed", t);
        }
    }

    private void syncScheduled() {
        IoHandler handler;
        while ((handler = syncQueue.poll()) != null) {
            // Cleared before sync so that a change made during sync schedules another one.
            handler.queued.set(false);
            try {
                handler.sync(selector);
            } catch (Throwable t) {
                failures.failed(t);
            }
        }
    }

    private void dispatch(SelectionKey key) {
        IoHandler handler = (IoHandler) key.attachment();
        try {
            handler.ready(key);
        } catch (CancelledKeyException e) {
            // The socket was closed by an application thread while the event was in flight.
        } catch (Throwable t) { // OutOfMemoryError above all: that socket pays, the loop goes on
            failures.failed(t);
            try {
                handler.failed(key, t);
            } catch (Throwable again) {
                key.cancel();
            }
        }
    }


    private void closeAll() {
        try {
            for (SelectionKey key : selector.keys()) {
                try {
                    key.channel().close();
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.DEBUG, "closing a channel at shutdown", e);
                }
            }
        } catch (ClosedSelectorException e) {
            // Already closed: its channels were closed with it.
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the selector at shutdown", e);
        }
        syncQueue.clear();
    }
}
