package org.joinleaf.runtime.defaultprovider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * The provider's one selector thread ({@value #THREAD_NAME}). It does all waiting for the network so that every
 * {@code ProviderSocket} call can return at once. Handlers ask for a {@code sync} through {@link #schedule}; the
 * queue holds each handler at most once, so it stays within its capacity (twice the provider's socket limit, as a
 * socket closed before the loop got to it may still be queued while its successor is).
 */
final class IoLoop {
    static final String THREAD_NAME = "joinleaf-default-io";
    private static final System.Logger LOG = System.getLogger(IoLoop.class.getName());

    private final Selector selector;
    private final ArrayBlockingQueue<IoHandler> syncQueue;
    private final Thread thread;
    /** Room for any UDP datagram; used by the loop thread only, shared by all sockets. */
    private final ByteBuffer datagramScratch = ByteBuffer.allocateDirect(65536);
    private volatile boolean running = true;

    IoLoop(int maxHandlers) {
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

    /** Stops the thread and closes every channel still registered; waits at most {@code timeoutMillis}. */
    boolean shutdown(long timeoutMillis) throws InterruptedException {
        running = false;
        selector.wakeup();
        thread.join(timeoutMillis);
        return !thread.isAlive();
    }

    private void run() {
        try {
            while (running) {
                syncScheduled();
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    dispatch(key);
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "default provider I/O loop failed; its sockets stop working", e);
        } finally {
            closeAll();
        }
    }

    private void syncScheduled() {
        IoHandler handler;
        while ((handler = syncQueue.poll()) != null) {
            // Cleared before sync so that a change made during sync schedules another one.
            handler.queued.set(false);
            try {
                handler.sync(selector);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "default provider socket failed to sync with the selector", e);
            }
        }
    }

    private static void dispatch(SelectionKey key) {
        try {
            ((IoHandler) key.attachment()).ready(key);
        } catch (CancelledKeyException e) {
            // The socket was closed by an application thread while the event was in flight.
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "default provider socket failed handling I/O readiness", e);
            key.cancel();
        }
    }

    private void closeAll() {
        for (SelectionKey key : selector.keys()) {
            try {
                key.channel().close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing a channel at shutdown", e);
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the selector at shutdown", e);
        }
        syncQueue.clear();
    }
}
