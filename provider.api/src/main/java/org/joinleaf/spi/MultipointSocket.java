package org.joinleaf.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The transport of a socket that can join a multipoint session ({@code WSPJoinLeaf}). A provider whose sockets do
 * not implement this type does not support {@code WSAJoinLeaf} at all, and every join on them fails with
 * {@code WSASYSCALLFAILURE}, as on Windows CE's built-in provider (decisions 1).
 *
 * <p>The runtime owns the rules every provider shares: it validates the arguments, refuses a second join with
 * {@code WSAEALREADY}/{@code WSAEISCONN}, creates the new descriptor of a c_root join with the event selection of
 * {@code s}, blocks or returns at once, posts {@code FD_CONNECT}, and cancels through {@code closesocket}. A provider
 * implements only the transport, asynchronously.
 */
@ConsumerType
public interface MultipointSocket extends ProviderSocket {

    /**
     * Starts a join and returns at once; the outcome goes to {@code completion}.
     * <ul>
     * <li>c_leaf socket: joins the root or the session named by the request and returns {@code this}. After a
     * failure with {@code WSAECONNREFUSED}, {@code WSAENETUNREACH} or {@code WSAETIMEDOUT} the runtime may call
     * {@code join} again on the same socket.</li>
     * <li>c_root socket: invites the leaf named by the request and returns a new transport standing for that leaf,
     * reporting through {@link ConnectRequest#newSocketUpcalls()}. The runtime never has two invitations of one root
     * outstanding.</li>
     * </ul>
     * Problems found before anything went on the wire are thrown ({@code WSAEFAULT} for caller data over the
     * provider's limit or callee room it cannot honour, {@code WSAEADDRNOTAVAIL}, {@code WSAEADDRINUSE} on the
     * implicit bind, {@code WSAEOPNOTSUPP} for QoS it cannot meet); {@code completion} is then not called.
     */
    ProviderSocket join(ConnectRequest request, ConnectCompletion completion) throws WsaException;
}
