package org.joinleaf.runtime.defaultprovider;

import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.atomic.AtomicBoolean;
import org.joinleaf.spi.SocketUpcalls;

/**
 * A socket as the {@link IoLoop} sees it. Application threads change the socket's state and ask the loop to
 * {@link IoLoop#schedule schedule} it; the loop then calls {@link #sync} to bring the selector in line (register,
 * change interest, drop). Only the loop thread touches the selection key.
 */
abstract class IoHandler {
    /** True while this handler sits in the loop's queue: each socket is queued at most once (bounded queue). */
    final AtomicBoolean queued = new AtomicBoolean();
    private SelectionKey key;

    /** Loop thread: register or update the channel's interest to match the socket's state. */
    abstract void sync(Selector selector);

    /** Loop thread: the channel is ready for the operations in {@code key.readyOps()}. */
    abstract void ready(SelectionKey key);

    /**
     * Loop thread: {@link #ready} threw {@code t} (an {@code OutOfMemoryError} included). The socket gives up what
     * was being handled; this default stops selecting the channel.
     */
    void failed(SelectionKey key, Throwable t) {
        key.cancel();
    }

    /** Where this socket's network events go (for {@code FD_CLOSE} when the provider cannot go on). */
    abstract SocketUpcalls upcalls();

    /** Loop thread: selects {@code ops} on {@code channel}, registering it first if needed; closed channels are ignored. */
    final void interest(Selector selector, SelectableChannel channel, int ops) {
        try {
            if (key == null || key.channel() != channel || !key.isValid()) {
                if (channel.isOpen()) {
                    key = channel.register(selector, ops, this);
                }
            } else {
                key.interestOps(ops);
            }
        } catch (ClosedChannelException | CancelledKeyException e) {
            // Closed by an application thread meanwhile: close() has already released everything.
        }
    }
}
