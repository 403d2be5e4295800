package org.joinleaf.runtime;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import org.joinleaf.spi.ConnectionRequest;
import org.joinleaf.spi.ProviderSocket;

/**
 * The requests of one listening socket that {@code WSAAccept} calls are deciding now (their condition functions
 * run), so that several threads accepting on the socket each take a different request (decision 39): a request is
 * claimed by exactly one call and released when that call ends, whatever its verdict. Looking a request up and
 * claiming it is one step: a call cannot claim a request another call has just accepted and released.
 */
final class AcceptClaims {
    private final Set<ConnectionRequest> deciding = new HashSet<>();
    private final Set<ConnectionRequest> view = Collections.unmodifiableSet(deciding);

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
}
