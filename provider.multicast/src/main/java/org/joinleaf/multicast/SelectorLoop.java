package org.joinleaf.multicast;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;

import org.joinleaf.spi.FailureLog;

/**
 * One of the provider's I/O threads ({@link SelectorLoops}): a {@link Selector} over the channels of the sockets it
 * serves. It reads arrivals into the sockets' queues through one reused buffer and reports returning send room; it
 * never blocks on anything but {@code select()}.
 *
 * <p>It never dies of what one datagram or one socket does: any throwable while handling a socket, an
 * {@code OutOfMemoryError} included, costs that datagram (dropped and counted as {@link DropReason#FAILURE}) and the
 * loop goes on. Only a selector that no longer selects ({@code select()} failing, or closed under a running loop)
 * ends it, and then {@code onFatal} runs on this thread so the provider can close its sockets and leave.
 *
 * <p>Pitfalls: since JDK 11 {@code register} and {@code interestOps} may be called from any thread while the loop
 * is selecting; {@link #wakeup} makes them take effect at once. Handlers run on this thread and must only queue and
 * post upcalls.
 */
final class SelectorLoop implements Runnable {
    /** Largest UDP payload of either family: every datagram is read whole, truncation happens at receive. */
    static final int MAX_UDP_PAYLOAD = 65535;

    /** Test seam: code the loop runs at its two failure points. Production has none. */
    interface Faults {
        default void beforeSelect() throws IOException {
        }

        default void afterReceive() {
        }
    }

    private static final System.Logger LOG = System.getLogger(SelectorLoop.class.getName());
    private static final Faults NO_FAULTS = new Faults() {
    };

    private final Selector selector;
    private final Thread thread;
    private final Runnable onFatal;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(MAX_UDP_PAYLOAD);
    /** One line at most every 10 s, with the count since the last: a peer can make these happen at will. */
    private final FailureLog failures = new FailureLog(LOG, "failure(s) in the multicast I/O thread cost their datagram",
            "the thread goes on", 10, TimeUnit.SECONDS);
    private volatile boolean running = true;
    private volatile Faults faults = NO_FAULTS;

    SelectorLoop(String threadName, Runnable onFatal) throws IOException {
        this.onFatal = onFatal;
        selector = Selector.open();
        thread = new Thread(this, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Registers {@code channel} for {@code ops} with {@code socket} as the handler. */
    SelectionKey register(DatagramChannel channel, int ops, LeafSocket socket)
            throws ClosedChannelException, ClosedSelectorException {
        SelectionKey key = channel.register(selector, ops, socket);
        selector.wakeup();
        return key;
    }

    /** Turns one interest bit on or off; a cancelled key (closed socket) is left alone. */
    void interest(SelectionKey key, int op, boolean on) {
        try {
            if (on) {
                key.interestOpsOr(op);
            } else {
                key.interestOpsAnd(~op);
            }
        } catch (CancelledKeyException e) {
            return;
        }
        selector.wakeup();
    }

    /** Makes a pending registration or channel close take effect now. */
    void wakeup() {
        selector.wakeup();
    }

    @Override
    public void run() {
        while (running) {
            try {
                faults.beforeSelect();
                // Keys are handled as select finds them: no selected-key set to iterate and clear per wake-up.
                selector.select(this::dispatch);
            } catch (IOException | ClosedSelectorException e) {
                if (running) {
                    fatal(e);
                }
                return;
            } catch (Throwable t) { // an OutOfMemoryError in select() passes like any other
                failures.failed(t);
            }
        }
    }

    private void fatal(Exception e) {
        running = false;
        LOG.log(System.Logger.Level.ERROR, "the multicast I/O thread cannot select any more (" + e
                + "); the provider closes its sockets with WSAENETDOWN and leaves the catalog", e);
        try {
            onFatal.run();
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, "closing the multicast provider after its I/O thread failed", t);
        }
    }

    private void dispatch(SelectionKey key) {
        LeafSocket socket = (LeafSocket) key.attachment();
        try {
            if (key.isReadable()) {
                socket.readable((DatagramChannel) key.channel(), readBuffer);
            }
            if (key.isValid() && key.isWritable()) {
                interest(key, SelectionKey.OP_WRITE, false);
                socket.writable();
            }
        } catch (CancelledKeyException e) {
            // The socket was closed while its key was selected: nothing left to deliver to.
        } catch (Throwable t) { // OutOfMemoryError above all: this datagram is lost, the loop is not
            socket.failedDatagram();
            failures.failed(t);
        }
    }


    /** Runs the test seam after every datagram read. */
    void afterReceive() {
        faults.afterReceive();
    }

    /** Installs a test seam (package-private: tests only). */
    void injectFaults(Faults f) {
        faults = f;
    }

    /** Throwables the loop caught and survived. */
    long failures() {
        return failures.count();
    }

    /** True while the I/O thread runs (for the deactivate check of tests). */
    String threadName() {
        return thread.getName();
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    /** True when called on the I/O thread itself. */
    boolean isLoopThread() {
        return Thread.currentThread() == thread;
    }

    /** Asks the thread to end without waiting for it ({@link #stop} waits). */
    void requestStop() {
        running = false;
        selector.wakeup();
    }

    /** Stops the thread, waiting at most {@code timeoutMillis}, then closes the selector. */
    void stop(long timeoutMillis) {
        requestStop();
        if (!isLoopThread()) {
            try {
                thread.join(timeoutMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (thread.isAlive() && !isLoopThread()) {
            LOG.log(System.Logger.Level.WARNING, thread.getName() + " did not stop within " + timeoutMillis + " ms");
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the multicast selector: " + e, e);
        }
    }
}
