package org.joinleaf.spi;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The runtime's side of one socket, handed to the provider when the socket is created ({@code WPU*} upcalls).
 * The runtime owns the event record and its re-arming rules; a provider only says what happened.
 *
 * <p>Pitfalls: {@link #post} never blocks and never calls back into the provider, so it is safe on an event loop;
 * posting after the socket was closed, or after the provider left, is ignored. Post every time the condition
 * arises (each return of room; for {@code FD_READ} at least each time the receive queue turns non-empty: the
 * runtime re-reports a queue a receive leaves non-empty, decisions 31); the runtime records an event only when
 * Winsock's rules say it is armed.
 */
@ProviderType
public interface SocketUpcalls {

    /**
     * Reports a network event: {@code FD_READ_BIT} when a message arrived, {@code FD_WRITE_BIT} when room returned
     * after a refused send, {@code FD_ACCEPT_BIT} when a connection request was queued, {@code FD_CLOSE_BIT} when the
     * peer or the session went away (0 graceful, {@code WSAECONNRESET} abortive, {@code WSAECONNABORTED} timeout or
     * failure), {@code FD_QOS_BIT} when the flowspecs changed (with a {@code WSA_QOS_*} code or 0).
     * {@code FD_CONNECT} is posted by the runtime from {@link ConnectCompletion}, never by providers.
     *
     * @param fdBit     one of the {@code FD_*_BIT} constants
     * @param errorCode 0 or the Winsock code that goes into {@code iErrorCode[fdBit]}
     */
    void post(int fdBit, int errorCode);
}
