package org.joinleaf.spi;

import java.nio.ByteBuffer;
import java.util.Set;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The transport of one socket ({@code WSP*} entry points). Every method is non-blocking: the runtime implements
 * blocking sockets by waiting for the provider's {@link SocketUpcalls#post} and calling again, so a provider never
 * parks an application thread and never needs to know whether the socket is blocking.
 *
 * <p>Pitfalls: methods are called from application threads, concurrently for different sockets and possibly for the
 * same one; never call them from an event loop the provider owns while holding a lock the upcalls need. A method
 * the transport does not offer fails with {@code WSAEOPNOTSUPP} (the defaults below).
 *
 * <p>Values {@code setOption} is given beyond {@code Boolean} and {@code Integer} (SPI 1.2, issue 13): a copy of
 * {@link org.joinleaf.api.LINGER} for {@code SO_LINGER}, an {@code Inet4Address} for {@code IP_MULTICAST_IF}
 * (the wildcard for "the system's choice"), an {@code Integer} interface index for {@code IPV6_MULTICAST_IF}, and a
 * copy of {@link org.joinleaf.api.IP_MREQ} / {@link org.joinleaf.api.IPV6_MREQ} for the membership options. The
 * runtime keeps {@code SO_RCVTIMEO}/{@code SO_SNDTIMEO} itself. {@code connect} on a connectionless socket may be
 * called any number of times, also after a join, and a {@link ConnectRequest#name()} of family {@code AF_UNSPEC}
 * clears the default destination; complete it at once.
 */
@ConsumerType
public interface ProviderSocket {

    /** {@code bind}: {@code WSAEADDRINUSE}, {@code WSAEADDRNOTAVAIL}, {@code WSAEINVAL} (already bound). */
    void bind(SOCKADDR name) throws WsaException;

    /** The local address, or {@code null} while unbound. */
    SOCKADDR localAddress();

    /** The connected peer (the root for a rooted leaf), or {@code null}. */
    default SOCKADDR peerAddress() {
        return null;
    }

    /** {@code listen}: requests are then queued and announced with {@code FD_ACCEPT}. */
    default void listen(int backlog) throws WsaException {
        throw new WsaException(Winsock2.WSAEOPNOTSUPP, "this transport does not listen");
    }

    /** True once {@link #listen} succeeded. */
    default boolean isListening() {
        return false;
    }

    /** The request at the head of the backlog, or {@code null} when none is queued. Does not remove it. */
    default ConnectionRequest pendingRequest() {
        return null;
    }

    /**
     * The request the next {@code WSAAccept} takes while other threads' {@code WSAAccept} calls on this socket are
     * deciding the requests in {@code deciding} (their condition functions run): the first queued request, in the
     * order {@link #pendingRequest()} serves them, that is not in {@code deciding}; {@code null} when there is none.
     * Does not remove it. Overriding it lets several threads accept in parallel; the default offers only the head,
     * so a second thread waits until the head is decided.
     */
    default ConnectionRequest pendingRequest(Set<ConnectionRequest> deciding) {
        ConnectionRequest head = pendingRequest();
        return head == null || deciding.contains(head) ? null : head;
    }

    /**
     * Starts a point-to-point {@code WSAConnect}; completion through {@code completion}. Synchronous problems
     * ({@code WSAEADDRINUSE} on the implicit bind, caller data over the limit: {@code WSAEFAULT}) are thrown.
     */
    default void connect(ConnectRequest request, ConnectCompletion completion) throws WsaException {
        throw new WsaException(Winsock2.WSAEOPNOTSUPP, "this transport does not connect");
    }

    /**
     * Queues one whole message, to {@code to} for unconnected datagram sockets ({@code null} otherwise). Returns the
     * bytes taken; {@code WSAEWOULDBLOCK} when there is no room (post {@code FD_WRITE_BIT} when room returns),
     * {@code WSAEMSGSIZE} over the message limit, {@code WSAENOTCONN}, {@code WSAECONNRESET}; a
     * {@link WsaException#waitable} failure (a provider-wide budget is full: post {@code FD_WRITE_BIT} when it has
     * room) makes a blocking caller wait. The buffer is the caller's: copy what you keep.
     */
    int send(ByteBuffer message, SOCKADDR to) throws WsaException;

    /**
     * Takes the next message into {@code buffer} (removing it unless {@code peek}), and names its sender in
     * {@code from} when not {@code null}. Returns its length; 0 after a graceful close; {@code WSAEWOULDBLOCK} when
     * nothing is queued; {@code WSAEMSGSIZE} after filling {@code buffer} with the head of a larger message (the rest
     * is discarded, as for datagrams).
     */
    int receive(ByteBuffer buffer, SOCKADDR from, boolean peek) throws WsaException;

    /** Bytes of the next message ({@code FIONREAD}); 0 when none is queued. */
    int available();

    /**
     * {@code WSAIoctl} codes the runtime does not own: {@code SIO_MULTIPOINT_LOOPBACK} ({@code Boolean}),
     * {@code SIO_MULTICAST_SCOPE} ({@code Integer}), {@code SIO_SET_QOS} ({@code QOS} in), {@code SIO_GET_QOS}
     * ({@code QOS} out). The runtime has checked the buffers and answered the QoS codes itself with
     * {@code WSAENOPROTOOPT} where the catalog entry lacks {@code XP1_QOS_SUPPORTED}.
     */
    default void ioctl(int code, Object in, Object out) throws WsaException {
        throw new WsaException(Winsock2.WSAEOPNOTSUPP,
                "ioctl 0x" + Integer.toHexString(code) + " is not offered by this transport");
    }

    /**
     * {@code setsockopt} options the runtime does not own (issue 13). {@code value} is a {@code Boolean} for on/off
     * options ({@code SO_REUSEADDR}, {@code IP_MULTICAST_LOOP}) and an {@code Integer} for sizes and counts
     * ({@code SO_RCVBUF}, {@code IP_MULTICAST_TTL}); the runtime has checked {@code optlen} ({@code WSAEFAULT}).
     * An option the transport does not know is {@code WSAENOPROTOOPT}; a value out of range {@code WSAEINVAL}.
     */
    default void setOption(int level, int optname, Object value) throws WsaException {
        throw new WsaException(Winsock2.WSAENOPROTOOPT, "option " + optname + " at level 0x"
                + Integer.toHexString(level) + " is not offered by this transport");
    }

    /**
     * {@code getsockopt} of an option {@link #setOption} takes: the value in effect, read back from the transport
     * (a kernel socket may round a size, as Linux doubles {@code SO_RCVBUF}), in the shapes {@code setOption} is
     * given; {@code null} when the transport cannot read it, and the runtime answers the value last set (issue 13).
     */
    default Object getOption(int level, int optname) throws WsaException {
        return null;
    }

    /** {@code shutdown}: {@code SD_RECEIVE}, {@code SD_SEND} or {@code SD_BOTH}. */
    default void shutdown(int how) throws WsaException {
        throw new WsaException(Winsock2.WSAEOPNOTSUPP, "this transport does not shut down halves");
    }

    /**
     * {@code closesocket}: releases everything, cancels a pending join or connect (no completion follows), and on a
     * root ends the session for every leaf. Never throws, never blocks for long; called at most once.
     */
    void close();
}
