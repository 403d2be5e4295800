package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.SOCKET_ERROR;
import static org.joinleaf.api.Winsock2.WSASYSCALLFAILURE;

import java.lang.System.Logger.Level;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSAError;
import org.joinleaf.spi.WsaException;

/**
 * The one place where a failure becomes what the Winsock API promises: a return value plus the calling thread's
 * last error. Every API method of a process runs through {@link #call}: a {@link WsaException} sets its code
 * (0 is {@code WSASYSCALLFAILURE}, decisions 2); anything unchecked a provider throws, {@link Error}s included, is
 * {@code WSASYSCALLFAILURE} with a message naming the provider, logged as one WARNING line. Nothing thrown ever
 * reaches the application, and no state is left half-changed because the subsystems undo in {@code finally}
 * (decisions 16).
 */
final class ErrorBoundary {
    private static final System.Logger LOG = System.getLogger(ErrorBoundary.class.getName());

    /** An API body returning an {@code int}. */
    @FunctionalInterface
    interface IntOp {
        int run() throws WsaException;
    }

    /**
     * {@code send}/{@code sendto}'s body, its arguments passed rather than captured: a capturing lambda was allocated
     * per call (the body is too large for escape analysis; JFR allocation samples, issue 14).
     */
    @FunctionalInterface
    interface SendOp {
        int run(SOCKET s, byte[] buf, int len, SOCKADDR to, int tolen) throws WsaException;
    }

    /** {@code recv}/{@code recvfrom}'s body, its arguments passed rather than captured (as {@link SendOp}). */
    @FunctionalInterface
    interface ReceiveOp {
        int run(SOCKET s, byte[] buf, int len, int flags, SOCKADDR from, int[] fromlen) throws WsaException;
    }

    /** An API body returning a value. */
    @FunctionalInterface
    interface Op<T> {
        T run() throws WsaException;
    }

    /** Per-thread last error. JDK types only, so no thread pins this bundle's class loader after a hot swap. */
    private final ThreadLocal<int[]> lastError = ThreadLocal.withInitial(() -> new int[1]);
    private final ThreadLocal<String> lastErrorMessage = ThreadLocal.withInitial(() -> "");
    /**
     * The provider the current call on this thread is about (named in the message of an unchecked failure). A slot
     * set and cleared in place: a ThreadLocal set and remove per call cost the data path a map update each.
     */
    private final ThreadLocal<String[]> provider = ThreadLocal.withInitial(() -> new String[1]);

    /**
     * Runs an API body answering {@code SOCKET_ERROR} on failure. Its own path, not {@link #call(String, Op, Object)}:
     * that one boxed every result (a {@code send} or {@code recv} of more than 127 bytes allocated an Integer) and
     * wrapped the body in one more lambda per call (issue 14).
     */
    int call(String api, IntOp op) {
        String[] slot = provider.get();
        String outer = slot[0];
        try {
            return op.run();
        } catch (WsaException | RuntimeException | Error e) {
            return failed(api, e);
        } finally {
            slot[0] = outer;
        }
    }

    /** As {@link #call(String, IntOp)} for a data call: nothing allocated on its way through. */
    int send(String api, SendOp op, SOCKET s, byte[] buf, int len, SOCKADDR to, int tolen) {
        String[] slot = provider.get();
        String outer = slot[0];
        try {
            return op.run(s, buf, len, to, tolen);
        } catch (WsaException | RuntimeException | Error e) {
            return failed(api, e);
        } finally {
            slot[0] = outer;
        }
    }

    /** As {@link #call(String, IntOp)} for a data call: nothing allocated on its way through. */
    int receive(String api, ReceiveOp op, SOCKET s, byte[] buf, int len, int flags, SOCKADDR from, int[] fromlen) {
        String[] slot = provider.get();
        String outer = slot[0];
        try {
            return op.run(s, buf, len, flags, from, fromlen);
        } catch (WsaException | RuntimeException | Error e) {
            return failed(api, e);
        } finally {
            slot[0] = outer;
        }
    }

    /** What an int body's failure {@code e} (a WsaException, RuntimeException or Error) answers. */
    private int failed(String api, Throwable e) {
        if (e instanceof WsaException w) {
            fail(w);
        } else {
            crashed(api, e);
        }
        return SOCKET_ERROR;
    }

    /** Runs an API body answering {@code failValue} on failure ({@code INVALID_SOCKET}, {@code false}, null...). */
    <T> T call(String api, Op<T> op, T failValue) {
        String[] slot = provider.get();
        String outer = slot[0];
        try {
            return op.run();
        } catch (WsaException e) {
            fail(e);
        } catch (RuntimeException | Error e) {
            crashed(api, e);
        } finally {
            slot[0] = outer; // null after the outermost call: no provider name stays on a pooled thread
        }
        return failValue;
    }

    /** The current call concerns a socket or an entry of this provider (set on lookup and on creation). */
    void concerns(String providerName) {
        provider.get()[0] = providerName;
    }

    private void fail(WsaException e) {
        int code = e.code() == 0 ? WSASYSCALLFAILURE : e.code();
        String message = e.code() == 0 ? "the provider failed without an error code: " + e.getMessage() : e.getMessage();
        set(code, message);
        if (LOG.isLoggable(Level.DEBUG)) { // describe() builds a string: a drain's WSAEWOULDBLOCK made one each
            LOG.log(Level.DEBUG, "joinleaf: {0}: {1}", WSAError.describe(code), message);
        }
    }

    /**
     * A provider (or, should it ever happen, the runtime) threw: the application sees {@code WSASYSCALLFAILURE}.
     * The WARNING is one line built from preallocated parts as far as possible: after an OutOfMemoryError even
     * logging may fail, and that must not throw either.
     */
    private void crashed(String api, Throwable e) {
        String who = provider.get()[0];
        try {
            String message = (who == null ? "the runtime or a provider" : "provider '" + who + "'") + " threw " + e
                    + " during " + api + "; the socket stays open, close it if it keeps failing";
            set(WSASYSCALLFAILURE, message);
            StackTraceElement[] at = e.getStackTrace();
            LOG.log(Level.WARNING, "joinleaf: " + message + (at.length > 0 ? " at " + at[0] : ""));
            LOG.log(Level.DEBUG, "joinleaf: stack of the failure above", e);
        } catch (Throwable again) { // e.g. OutOfMemoryError while building the message: keep the code at least
            lastError.get()[0] = WSASYSCALLFAILURE;
        }
    }

    void set(int code, String message) {
        lastError.get()[0] = code;
        lastErrorMessage.set(message);
    }

    int lastError() {
        return lastError.get()[0];
    }

    String lastErrorMessage() {
        return lastErrorMessage.get();
    }
}
