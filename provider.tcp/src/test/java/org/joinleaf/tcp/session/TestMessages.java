package org.joinleaf.tcp.session;

import java.nio.ByteBuffer;
import org.joinleaf.api.SOCKADDR;

/** One whole message from {@code from}, as a socket queues it (tests of the receive queue). */
final class TestMessages {
    private TestMessages() {
    }

    static ReceivedChunk message(byte[] payload, SOCKADDR from) {
        return ReceivedChunk.of(ByteBuffer.wrap(payload), from);
    }
}
