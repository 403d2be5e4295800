package org.joinleaf.multicast;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A socket's reused direct buffer for sending small heap datagrams, so that a send does not go through the JDK's
 * per-thread temporary direct buffer (issue 14 item 4: the JDK's heap-to-direct copy was in the sender's profile).
 * One buffer per socket of {@value #BYTES} bytes, taken by whichever thread sends; a concurrent sender on the same
 * socket, a direct or a larger datagram goes the JDK's way, so nothing waits for it.
 */
final class SendBuffer {
    static final int BYTES = 2048;

    private final AtomicReference<ByteBuffer> spare = new AtomicReference<>();
    private volatile boolean created;

    /** Sends {@code message}'s remaining bytes to {@code target} as one datagram, as {@link DatagramChannel#send}. */
    int send(DatagramChannel channel, ByteBuffer message, SocketAddress target) throws IOException {
        ByteBuffer buffer = message.isDirect() || message.remaining() > BYTES ? null : take();
        if (buffer == null) {
            return channel.send(message, target);
        }
        try {
            buffer.clear();
            buffer.put(message.duplicate()).flip();
            int sent = channel.send(buffer, target);
            message.position(message.position() + sent);
            return sent;
        } finally {
            spare.set(buffer);
        }
    }

    private ByteBuffer take() {
        if (!created) {
            created = true;
            return ByteBuffer.allocateDirect(BYTES); // first send: nothing to take yet, this one becomes the spare
        }
        return spare.getAndSet(null);
    }
}
