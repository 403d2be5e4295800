package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;

import java.lang.System.Logger.Level;
import org.joinleaf.api.WSABUF;
import org.joinleaf.api.WSAError;
import org.joinleaf.spi.ConnectCompletion;
import org.joinleaf.spi.ProviderSocket;

/**
 * One join or connect in flight: the runtime's half of the provider's asynchronous work. When the provider calls
 * back, it applies the rules common to every provider, once: copy the callee data into the caller's buffer (R13,
 * R17, R30) or fail with {@code WSAEFAULT} when it does not fit (R4), move the join state machine, raise
 * {@code FD_CONNECT} on the original socket (R15), and wake a blocking caller (R12).
 */
final class JoinOperation implements ConnectCompletion {
    private static final System.Logger LOG = System.getLogger(JoinOperation.class.getName());
    private static final int RUNNING = -1;

    final SocketRecord origin;
    final SocketRecord target;
    final boolean isJoin;
    final int direction;
    private final WSABUF callee;
    private final int calleeCapacity;

    private boolean claimed;
    private int result = RUNNING;
    private String message;

    /**
     * @param origin   the socket the call was made on; FD_CONNECT goes there
     * @param target   {@code origin} for a leaf join or a connect, the new c_leaf for a root join
     * @param callee   the caller's {@code lpCalleeData}, or null
     */
    JoinOperation(SocketRecord origin, SocketRecord target, boolean isJoin, int direction, WSABUF callee) {
        this.origin = origin;
        this.target = target;
        this.isJoin = isJoin;
        this.direction = direction;
        this.callee = callee;
        this.calleeCapacity = callee == null ? 0 : callee.len;
    }

    boolean isRootJoin() {
        return origin != target;
    }

    int calleeCapacity() {
        return calleeCapacity;
    }

    @Override
    public void connected(byte[] calleeData) {
        int n = calleeData == null ? 0 : calleeData.length;
        if (callee != null && n > calleeCapacity) { // R31: with lpCalleeData NULL, reply data is discarded
            complete(WSAEFAULT, "the peer sent " + n + " bytes of callee data but lpCalleeData has room for "
                    + calleeCapacity + "; pass a larger buffer", true);
            return;
        }
        if (!claim()) {
            return;
        }
        if (callee != null) {
            // R30: len becomes the count received, 0 if none; only written on completion (R17)
            if (n > 0) {
                System.arraycopy(calleeData, 0, callee.buf, 0, n);
            }
            callee.len = n;
        }
        settle(0, null, false);
    }

    @Override
    public void failed(int errorCode, String why) {
        int code = errorCode == 0 ? WSASYSCALLFAILURE : errorCode;
        complete(code, why == null ? "the provider failed the operation with " + WSAError.describe(code) : why, false);
    }

    private void complete(int code, String why, boolean closeTransport) {
        if (claim()) {
            settle(code, why, closeTransport);
        }
    }

    /** The first of completion and cancellation wins; the other is ignored. */
    private synchronized boolean claim() {
        if (claimed) {
            return false;
        }
        claimed = true;
        return true;
    }

    private void settle(int code, String why, boolean closeTransport) {
        if (closeTransport) {
            ProviderSocket t = target.transport();
            if (t != null && isRootJoin()) {
                DescriptorTable.closeQuietly(t);
            }
        }
        // the state machine moves before the blocked caller wakes, so its next call sees the outcome (R20, R22)
        target.finish(this, code);
        if (isRootJoin()) {
            origin.invitationFinished(target);
        }
        if (isJoin) {
            origin.counters.joinEnded(code);
            // this runs on the provider's thread, usually an event loop: no console I/O there by default (a join
            // flood would stall it); the root logs accepts and refusals at INFO on the application thread
            if (LOG.isLoggable(Level.DEBUG)) {
                LOG.log(Level.DEBUG, code == 0 ? "joinleaf: {0} joined ({1})"
                        : "joinleaf: the join of {0} failed: {1}", origin.handle,
                        code == 0 ? "FD_CONNECT" : WSAError.describe(code) + " " + why);
            }
        }
        origin.raise(FD_CONNECT_BIT, code, true);
        if (code == 0 && direction != JL_RECEIVER_ONLY) {
            target.raise(FD_WRITE_BIT, 0, true);
        }
        // last: the woken caller's next call (often closesocket or send) finds this thread done with the records
        // instead of waiting for their locks, and the events are recorded by the time the blocking call returns
        publish(code, why);
    }

    private synchronized void publish(int code, String why) {
        result = code;
        message = why;
        notifyAll();
    }

    /**
     * closesocket cancelled it (R25), the provider left, or a blocking call ran out of time: no FD_CONNECT, the
     * blocking caller gets {@code code}. False when the provider's completion came first.
     */
    boolean cancel(int code, String why) {
        if (!claim()) {
            return false;
        }
        if (isRootJoin()) {
            origin.invitationFinished(target);
        }
        publish(code, why);
        return true;
    }

    /**
     * Blocks until the operation finished or {@code boundNanos} passed; returns its code (0 = success), or
     * {@code WSAETIMEDOUT} after cancelling it when the provider did not complete in time (decisions 23).
     * Interrupting returns WSAEINTR.
     */
    int await(long boundNanos) {
        long deadline = System.nanoTime() + boundNanos;
        synchronized (this) {
            try {
                for (long left = boundNanos; result == RUNNING && left > 0; left = deadline - System.nanoTime()) {
                    wait(Math.max(1, left / 1_000_000L));
                }
                if (result != RUNNING) {
                    return result;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                message = "the blocking call was interrupted; the operation continues and reports FD_CONNECT";
                return WSAEINTR;
            }
        }
        String why = "the provider did not complete the " + (isJoin ? "join" : "connect") + " within "
                + boundNanos / 1_000_000L + " ms, the runtime's bound on a blocking call (decisions 23)";
        if (cancel(WSAETIMEDOUT, why)) {
            target.endPendingJoin(); // nothing is pending any more: a late completion is ignored
            return WSAETIMEDOUT;
        }
        return awaitSettled(); // the completion won the race and is being published
    }

    private synchronized int awaitSettled() {
        while (result == RUNNING) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return WSAEINTR;
            }
        }
        return result;
    }

    synchronized String message() {
        return message;
    }
}
