package org.joinleaf.spi;

import org.joinleaf.api.WSAError;

/**
 * How a provider reports a failure to the runtime (the SPI's {@code lpErrno}). The runtime turns it into the
 * thread's last error; a code of 0 means "failed without a code" and is reported as {@code WSASYSCALLFAILURE}
 * (decisions 2). The message is for people: say what was wrong and what to do.
 *
 * <p>No stack trace is filled in: {@code WSAEWOULDBLOCK} is thrown on hot paths.
 */
public class WsaException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int code;

    /** A failure with a Winsock code and a message a person can act on. */
    public WsaException(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    /** The Winsock error code, or 0 when the provider has none. */
    public int code() {
        return code;
    }

    @Override
    public String toString() {
        return WSAError.describe(code) + ": " + getMessage();
    }
}
