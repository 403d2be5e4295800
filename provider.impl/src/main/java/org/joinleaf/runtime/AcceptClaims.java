package org.joinleaf.runtime;

import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.joinleaf.spi.ConnectionRequest;

/**
 * The requests of one listening socket that {@code WSAAccept} calls are deciding now (their condition functions
 * run), so that several threads accepting on the socket each take a different request (decisions 35): a request is
 * claimed by exactly one call and released when that call ends, whatever its verdict.
 */
final class AcceptClaims {
    private final Set<ConnectionRequest> deciding = ConcurrentHashMap.newKeySet();
    private final Set<ConnectionRequest> view = Collections.unmodifiableSet(deciding);

    /** What the provider must skip ({@code ProviderSocket.pendingRequest(Set)}); a live view. */
    Set<ConnectionRequest> deciding() {
        return view;
    }

    /** False when another call claimed {@code request} first. */
    boolean claim(ConnectionRequest request) {
        return deciding.add(request);
    }

    void release(ConnectionRequest request) {
        deciding.remove(request);
    }
}
