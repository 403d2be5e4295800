package org.joinleaf.runtime;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.ConnectionRequest;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.WsaException;

/**
 * The requests of one listening socket that {@code WSAAccept} calls are deciding now (their condition functions
 * run), so that several threads accepting on the socket each take a different request (decision 39): a request is
 * claimed by exactly one call and released when that call ends, whatever its verdict. Looking a request up and
 * claiming it is one step: a call cannot claim a request another call has just accepted and released.
 *
 * <p>Of the blocking calls with nothing to claim, one at a time watches the socket for a change ({@link #watch},
 * decision 57); the others wait here for their turn. Every change of a socket wakes all its waiters, so with k idle
 * accept threads each JOIN woke k threads of which k - 1 found nothing; now it wakes the watcher and the next in turn.
 */
final class AcceptClaims {
    private final Set<ConnectionRequest> deciding = new HashSet<>();
    private final Set<ConnectionRequest> view = Collections.unmodifiableSet(deciding);
    /** A blocking call waits on the socket's changes now; the others wait on this object for their turn. */
    private boolean watched;

    /**
     * Claims the first request {@code listener} offers that no other call is deciding, or returns null. The provider
     * is asked under this object's lock only, which no provider thread ever takes.
     */
    synchronized ConnectionRequest claimNext(ProviderSocket listener) {
        ConnectionRequest request = listener.pendingRequest(view);
        // a provider that offers one being decided anyway breaks the SPI: as if it offered none (the call waits)
        return request != null && deciding.add(request) ? request : null;
    }

    /** The call that claimed {@code request} ended; a request it left queued may be claimed again. */
    synchronized void release(ConnectionRequest request) {
        deciding.remove(request);
    }

    /**
     * A blocking call found nothing to claim: waits its turn to watch {@code socket}, then until it changed since
     * {@code seen} (the caller read it before looking for a request, so no change is missed while waiting for the
     * turn), then hands the watch to the next call. Throws what the socket's wait throws (closed, provider gone) or
     * {@code WSAEINTR} when interrupted.
     */
    void watch(SocketRecord socket, long seen) throws WsaException {
        synchronized (this) {
            try {
                while (watched) {
                    wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WsaException(Winsock2.WSAEINTR, "the blocking call on " + socket.handle
                        + " was interrupted");
            }
            watched = true;
        }
        try {
            socket.awaitChange(seen);
        } finally {
            synchronized (this) {
                watched = false;
                notify(); // one successor: it finds the change too, claims or watches in turn
            }
        }
    }
}
