package org.joinleaf.tcp.protocol;

import io.netty.handler.codec.CorruptedFrameException;

/**
 * A frame that breaks the wire protocol: malformed, unknown type, wrong magic or version, or out of order. The
 * connection it arrived on is closed with {@code WSAECONNABORTED}; nothing else is affected.
 */
public final class ProtocolViolationException extends CorruptedFrameException {
    private static final long serialVersionUID = 1L;

    public ProtocolViolationException(String message) {
        super(message);
    }
}
