package org.joinleaf.runtime;

import org.joinleaf.api.SOCKADDR;

/**
 * A message, or the rest of one, that a receive handed out only in part and the next receive gets
 * ({@link MessageReceive}). Bounded by the entry's message size: the runtime holds at most one per socket.
 */
final class PartialMessage {
    final byte[] rest;
    final SOCKADDR from;

    PartialMessage(byte[] rest, SOCKADDR from) {
        this.rest = rest;
        this.from = from;
    }
}
