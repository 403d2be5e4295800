package org.joinleaf.spi;

import org.osgi.annotation.versioning.ProviderType;

/**
 * How a provider finishes a join or connect it started ({@link MultipointSocket#join},
 * {@link ProviderSocket#connect}). Exactly one of the two methods is called, once, from any thread, possibly before
 * {@code join}/{@code connect} has returned. The runtime then applies the rules common to every provider: it wakes a
 * blocking caller or posts {@code FD_CONNECT} on the original socket, copies callee data into the caller's
 * {@code WSABUF} (or fails with {@code WSAEFAULT} when it does not fit), moves the join state machine, and allows a
 * retry after {@code WSAECONNREFUSED}, {@code WSAENETUNREACH} or {@code WSAETIMEDOUT}.
 *
 * <p>Pitfall: after {@code closesocket} cancelled the operation, calls are ignored; a provider need not race it.
 */
@ProviderType
public interface ConnectCompletion {

    /** The peer admitted us; {@code calleeData} is what it sent back ({@code null} or empty: nothing). */
    void connected(byte[] calleeData);

    /**
     * The operation failed with a Winsock code ({@code WSAECONNREFUSED} for {@code CF_REJECT},
     * {@code WSAETIMEDOUT}, {@code WSAENETUNREACH}, ...); 0 is reported as {@code WSASYSCALLFAILURE}.
     */
    void failed(int errorCode, String message);
}
