package org.joinleaf.tcp.session;

import io.netty.channel.Channel;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.Set;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.WsaException;

/**
 * The received messages of one socket, whole and in order, each with its sender. Bounded: when it holds
 * {@code capacity} messages, the connection that delivered the last one stops reading (TCP then pushes back on the
 * sender) until the application has taken half of them. Frames already split from one read may still arrive after
 * that, so the hard bound is {@code capacity} plus one read batch per paused connection.
 *
 * <p>Pitfall: {@link #add} runs on event loops, {@link #take} on application threads. Pausing and resuming happen
 * under the lock, in the order they were decided: otherwise a resume decided while the pausing event loop was
 * descheduled could land before that pause and leave the connection paused for good (its heartbeat then times
 * out). {@code setAutoRead} neither blocks nor calls back into this class.
 */
final class InboundQueue {
    /** One whole message and who sent it. */
    record Message(byte[] payload, SOCKADDR from) {
    }

    private static final int OPEN = -1;

    private final int capacity;
    private final ArrayDeque<Message> messages = new ArrayDeque<>();
    private final Set<Channel> paused = new LinkedHashSet<>();
    private int closeCode = OPEN;

    InboundQueue(int capacity) {
        this.capacity = capacity;
    }

    /** Appends a message; pauses {@code source} (may be {@code null} for loopback copies) when full. */
    synchronized void add(Message message, Channel source) {
        messages.add(message);
        if (messages.size() >= capacity && source != null && paused.add(source)) {
            source.config().setAutoRead(false);
        }
    }

    /**
     * Copies the next message into {@code buffer}; see {@code ProviderSocket.receive} for the contract
     * ({@code WSAEMSGSIZE} after filling a too-small buffer, 0 after a graceful close).
     */
    int take(ByteBuffer buffer, SOCKADDR from, boolean peek) throws WsaException {
        Message m;
        synchronized (this) {
            m = peek ? messages.peek() : messages.poll();
            if (m == null) {
                if (closeCode == 0) {
                    return 0;
                }
                if (closeCode != OPEN) {
                    throw new WsaException(closeCode, "the session ended; close this socket and join again");
                }
                throw new WsaException(Winsock2.WSAEWOULDBLOCK, "no message queued; wait for FD_READ");
            }
            if (!paused.isEmpty() && messages.size() <= capacity / 2) {
                for (Channel c : paused) {
                    c.config().setAutoRead(true);
                }
                paused.clear();
            }
        }
        if (from != null) {
            from.set(m.from());
        }
        int length = m.payload().length;
        int copied = Math.min(length, buffer.remaining());
        buffer.put(m.payload(), 0, copied);
        if (copied < length) {
            throw new WsaException(Winsock2.WSAEMSGSIZE, "message of " + length + " bytes truncated to the "
                    + copied + "-byte buffer" + (peek ? "" : "; the rest is discarded") + "; pass a larger buffer");
        }
        return length;
    }

    /** Bytes of the next message ({@code FIONREAD}). */
    synchronized int available() {
        Message m = messages.peek();
        return m == null ? 0 : m.payload().length;
    }

    /** No more messages will come; once drained, receive returns 0 ({@code code} 0) or fails with {@code code}. */
    synchronized void close(int code) {
        if (closeCode == OPEN) {
            closeCode = code;
        }
    }
}
