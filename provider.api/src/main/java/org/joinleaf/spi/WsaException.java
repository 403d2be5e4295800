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
    private final boolean waitable;

    /** A failure with a Winsock code and a message a person can act on. */
    public WsaException(int code, String message) {
        this(code, message, false);
    }

    private WsaException(int code, String message, boolean waitable) {
        super(message, null, false, false);
        this.code = code;
        this.waitable = waitable;
    }

    /**
     * A {@code send} refused for a reason that ends by itself, such as a provider-wide budget other sockets hold
     * (SPI 1.7): a non-blocking caller gets {@code code}; a blocking caller waits for the socket's next report and
     * calls again. The provider owes that socket an {@code FD_WRITE_BIT} post when the reason may have ended.
     */
    public static WsaException waitable(int code, String message) {
        return new WsaException(code, message, true);
    }

    /** True for a {@link #waitable} failure: a blocking caller waits for the next report instead of failing. */
    public boolean isWaitable() {
        return waitable;
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
