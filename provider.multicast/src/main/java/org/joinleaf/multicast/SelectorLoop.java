package org.joinleaf.multicast;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * The provider's one I/O thread: a {@link Selector} over every socket's channel. It reads arrivals into the sockets'
 * queues and reports returning send room; it never blocks on anything but {@code select()}.
 *
 * <p>Pitfalls: since JDK 11 {@code register} and {@code interestOps} may be called from any thread while the loop
 * is selecting; {@link #wakeup} makes them take effect at once. Handlers run on this thread and must only queue and
 * post upcalls.
 */
final class SelectorLoop implements Runnable {
    /** Largest UDP payload of either family: every datagram is read whole, truncation happens at receive. */
    static final int MAX_UDP_PAYLOAD = 65535;

    private static final System.Logger LOG = System.getLogger(SelectorLoop.class.getName());

    private final Selector selector;
    private final Thread thread;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(MAX_UDP_PAYLOAD);
    private volatile boolean running = true;

    SelectorLoop(String threadName) throws IOException {
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
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    dispatch(key);
                }
                selector.selectedKeys().clear();
            } catch (ClosedSelectorException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "multicast selector loop: " + e, e);
            }
        }
    }

    private void dispatch(SelectionKey key) {
        LeafSocket socket = (LeafSocket) key.attachment();
        try {
            if (key.isReadable()) {
                socket.readable(readBuffer);
            }
            if (key.isValid() && key.isWritable()) {
                interest(key, SelectionKey.OP_WRITE, false);
                socket.writable();
            }
        } catch (CancelledKeyException e) {
            // The socket was closed while its key was selected: nothing left to deliver to.
        }
    }

    /** True while the I/O thread runs (for the deactivate check of tests). */
    boolean isAlive() {
        return thread.isAlive();
    }

    /** Stops the thread, waiting at most {@code timeoutMillis}, then closes the selector. */
    void stop(long timeoutMillis) {
        running = false;
        selector.wakeup();
        try {
            thread.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.log(System.Logger.Level.WARNING, thread.getName() + " did not stop within " + timeoutMillis + " ms");
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the multicast selector: " + e, e);
        }
    }
}
