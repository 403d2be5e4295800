package org.joinleaf.spi;

import org.joinleaf.api.QOS;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.WSAPEERIDENTITY;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A request queued on a listening socket: a leaf asking a c_root to admit it, a root inviting a listening c_leaf,
 * or a plain connect. The runtime's {@code WSAAccept} takes the head of the queue (with several threads accepting,
 * the first request no other call is deciding: {@link ProviderSocket#pendingRequest(java.util.Set)}), runs the
 * condition function on the application's thread with these values, and then calls exactly one of {@link #accept}
 * or {@link #reject}, or neither ({@code CF_DEFER}: the request stays at the head).
 *
 * <p>Pitfall: the peer may withdraw while the condition function runs; {@link #accept} then fails with
 * {@code WSAECONNRESET} (or {@code WSAEACCES} when it timed out) and the provider drops the request from its queue.
 */
@ConsumerType
public interface ConnectionRequest {

    /** The caller's address ({@code lpCallerId}). */
    SOCKADDR callerAddress();

    /** The caller data, or {@code null} when the caller sent none. */
    byte[] callerData();

    /** The caller's flowspecs, or {@code null} (no negotiation). */
    QOS callerQos();

    /**
     * The caller's identity as authenticated by the transport (for example from the client certificate of a mutual
     * TLS handshake), or {@code null} when the connection is not authenticated. Never derived from the caller's
     * address or caller data.
     */
    default WSAPEERIDENTITY callerIdentity() {
        return null;
    }

    /** How many bytes of reply data the provider can carry back; 0 when it carries none. */
    int calleeDataCapacity();

    /**
     * Admits the caller: sends {@code calleeData} back (may be empty) and returns the transport of the new socket,
     * which from now on reports through {@code upcalls}. The request leaves the queue.
     */
    ProviderSocket accept(byte[] calleeData, SocketUpcalls upcalls) throws WsaException;

    /** Refuses the caller, who sees {@code WSAECONNREFUSED}. The request leaves the queue. */
    void reject();
}
