package org.joinleaf.runtime;

import org.joinleaf.api.SOCKADDR;

/**
 * The rest of one message that a {@code WSARecv} on an {@code XP1_PARTIAL_MESSAGE} entry handed out only in part
 * ({@code MSG_PARTIAL}). Bounded by the entry's message size: the runtime holds at most one per socket.
 */
final class PartialMessage {
    final byte[] rest;
    final SOCKADDR from;

    PartialMessage(byte[] rest, SOCKADDR from) {
        this.rest = rest;
        this.from = from;
    }
}
