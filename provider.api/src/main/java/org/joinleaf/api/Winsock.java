package org.joinleaf.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The Winsock 2 multipoint API, one method per Winsock function with the same name and argument order, so ported
 * code maps line by line.
 *
 * <p>Rules every method follows, as Winsock does:
 * <ul>
 * <li>The service is bundle-scoped: each bundle that gets it is one Winsock "process", with its own startup count,
 * descriptor table and event objects. A descriptor from another bundle is {@code WSAENOTSOCK}.</li>
 * <li>Failure is reported by the return value ({@link SOCKET#INVALID_SOCKET}, {@link Winsock2#SOCKET_ERROR},
 * {@code false}, {@link Winsock2#WSA_WAIT_FAILED}) and the calling thread's last error, read with
 * {@link #WSAGetLastError()}. Only {@link #WSAStartup} returns its error directly. Nothing a provider throws
 * reaches the caller: it is {@code WSASYSCALLFAILURE} (decisions 16).</li>
 * <li>Every call except {@code WSAStartup}, {@code WSAGetLastError} and {@code WSASetLastError} fails with
 * {@code WSANOTINITIALISED} before a successful {@code WSAStartup} or after the last {@code WSACleanup}; the next
 * check is {@code WSAENOTSOCK} for an unknown or closed descriptor; everything after is the provider's.</li>
 * <li>Out parameters are the C structures ({@link SOCKADDR}, {@link WSABUF}, ...) or one-element arrays standing
 * for {@code int*}, filled in by the call.</li>
 * <li>Overlapped I/O is not offered: {@code WSA_FLAG_OVERLAPPED} is accepted and ignored.</li>
 * </ul>
 */
@ProviderType
public interface Winsock {

    // ---- startup ----

    /**
     * Starts Winsock for this process (bundle). Versions 1.0–2.2 negotiate to {@code min(requested, 2.2)}; returns 0
     * or the error directly ({@code WSAVERNOTSUPPORTED} below 1.0, {@code WSAEFAULT} for a null {@code lpWSAData}).
     * Startups are counted; each needs a {@link #WSACleanup()}.
     */
    int WSAStartup(short wVersionRequested, WSADATA lpWSAData);

    /**
     * Ends one startup. The last one closes every socket of the process without posting notifications or signalling
     * any event object (§4, decisions 13, 17); event objects live on until {@link #WSACloseEvent} (decisions 18).
     * Without a startup: {@code SOCKET_ERROR} / {@code WSANOTINITIALISED}.
     */
    int WSACleanup();

    /** The calling thread's last error. Works before {@code WSAStartup}. */
    int WSAGetLastError();

    /** Sets the calling thread's last error; 0 clears it. Works before {@code WSAStartup}. */
    void WSASetLastError(int iError);

    /**
     * A joinleaf addition, not in Winsock: what the calling thread's last error means here and what to do about it
     * ("namelen 8 is smaller than the 16 bytes of the address; pass the size of the sockaddr"). Set by the same
     * calls that set {@link #WSAGetLastError()}; empty when that is 0.
     */
    String WSAGetLastErrorMessage();

    // ---- catalog and sockets ----

    /**
     * Copies the catalog into {@code lpProtocolBuffer}, in catalog order, leaving out {@code PFL_HIDDEN} and layered
     * entries; {@code lpiProtocols} (ending in 0, or null for all) filters by {@code iProtocol}. Returns the number of
     * entries, or {@code SOCKET_ERROR}/{@code WSAENOBUFS} with {@code lpdwBufferLength[0]} set to the bytes needed
     * ({@link WSAPROTOCOL_INFO#SIZE} each) when the buffer is too small.
     */
    int WSAEnumProtocols(int[] lpiProtocols, WSAPROTOCOL_INFO[] lpProtocolBuffer, int[] lpdwBufferLength);

    /**
     * Creates a socket on the first catalog entry matching {@code af}/{@code type}/{@code protocol}, or on the entry
     * {@code lpProtocolInfo} names by {@code dwCatalogEntryId}. Multipoint flags (§1.2, decisions 3): at most one
     * control-plane and one data-plane flag; {@code C_ROOT} needs a rooted control plane, {@code D_ROOT} a rooted data
     * plane, any multipoint flag needs {@code XP1_SUPPORT_MULTIPOINT}; otherwise {@code WSAEINVAL}. Sockets start
     * blocking.
     */
    SOCKET WSASocket(int af, int type, int protocol, WSAPROTOCOL_INFO lpProtocolInfo, int g, int dwFlags);

    /** Binds {@code s} to a local address. */
    int bind(SOCKET s, SOCKADDR name, int namelen);

    /**
     * Puts {@code s} into listen mode. On a c_root this admits leaf-initiated joins; on a c_leaf only multipoint
     * requests (root invitations) are accepted (§1.7).
     */
    int listen(SOCKET s, int backlog);

    /** {@link #WSAAccept} without a condition function. */
    SOCKET accept(SOCKET s, SOCKADDR addr, int[] addrlen);

    /**
     * Takes the request at the head of the backlog. The condition function runs on this thread (§4); the new socket
     * has the listener's properties including its {@code WSAEventSelect} registration; on a c_root it is a c_leaf.
     * Errors: {@code WSAEINVAL} (not listening, or an unknown condition result), {@code WSAEWOULDBLOCK} (non-blocking,
     * nothing queued), {@code WSAECONNREFUSED} ({@code CF_REJECT}), {@code WSATRY_AGAIN} ({@code CF_DEFER}),
     * {@code WSAECONNRESET} (the caller went away).
     *
     * <p>joinleaf extensions beyond Winsock: the condition function is called through
     * {@link LPCONDITIONPROC#applyWithIdentity}, with the caller's TLS-authenticated identity
     * ({@link WSAPEERIDENTITY}, {@code null} when the connection is not authenticated). When
     * {@code lpfnCondition} is {@code NULL} and a service {@link LPCONDITIONPROC} with the property
     * {@code joinleaf.condition=default} is registered (the highest ranked one wins), that <em>default condition</em>
     * runs instead, with the same rules; without one, every request is accepted as in Winsock. {@link #accept} is
     * {@code WSAAccept} with a {@code NULL} condition, so it is judged by the default condition too.
     */
    SOCKET WSAAccept(SOCKET s, SOCKADDR addr, int[] addrlen, LPCONDITIONPROC lpfnCondition, long dwCallbackData);

    /**
     * Connects a point-to-point socket, with the caller/callee data and QoS rules of {@link #WSAJoinLeaf}. Unlike a
     * join, a non-blocking connect fails with {@code WSAEWOULDBLOCK} and completes with {@code FD_CONNECT}.
     */
    int WSAConnect(SOCKET s, SOCKADDR name, int namelen, WSABUF lpCallerData, WSABUF lpCalleeData, QOS lpSQOS,
                   QOS lpGQOS);

    /**
     * Joins a leaf into a multipoint session and exchanges connect data (§3). On a c_leaf the result is {@code s}
     * itself; on a c_root it is a new c_leaf socket for the invited leaf, inheriting {@code s}'s event selection.
     * Blocking sockets return when the join finished; non-blocking ones return the descriptor at once (never
     * {@code WSAEWOULDBLOCK}) and report completion as {@code FD_CONNECT} on {@code s}. {@code WSAEALREADY} while a
     * join is pending (a root has one request outstanding at a time), {@code WSAEISCONN} after a leaf's successful
     * join; retry is allowed after {@code WSAECONNREFUSED}, {@code WSAENETUNREACH} and {@code WSAETIMEDOUT}. Until
     * it finishes, the returned descriptor fails every call but {@code closesocket} (which cancels) and
     * {@code WSAEnumNetworkEvents} (decisions 20) with {@code WSAENOTCONN}. A blocking join whose provider never
     * completes returns {@code WSAETIMEDOUT} after the runtime's bound (decisions 23).
     */
    SOCKET WSAJoinLeaf(SOCKET s, SOCKADDR name, int namelen, WSABUF lpCallerData, WSABUF lpCalleeData, QOS lpSQOS,
                       QOS lpGQOS, int dwFlags);

    // ---- events ----

    /** A new manual-reset, non-signalled event object, or {@code null} ({@code WSA_INVALID_EVENT}). */
    WSAEVENT WSACreateEvent();

    /** Closes an event object; {@code false} / {@code WSA_INVALID_HANDLE} for an unknown one. */
    boolean WSACloseEvent(WSAEVENT hEvent);

    /** Signals an event object. */
    boolean WSASetEvent(WSAEVENT hEvent);

    /** Resets an event object to non-signalled. */
    boolean WSAResetEvent(WSAEVENT hEvent);

    /**
     * Associates {@code hEventObject} and the {@code lNetworkEvents} mask with {@code s}, replacing any earlier
     * association and clearing the event record; makes {@code s} non-blocking; a mask of 0 cancels. Events that
     * already happened are recorded at once. {@code FD_CONNECT} and {@code FD_CLOSE} are recorded once;
     * {@code FD_READ}, {@code FD_OOB} and {@code FD_ACCEPT} are re-armed by the matching receive or accept call;
     * {@code FD_WRITE} after a send failed with {@code WSAEWOULDBLOCK}; {@code FD_QOS} by {@code SIO_GET_QOS} and
     * once read by {@link #WSAEnumNetworkEvents} (decisions 19).
     */
    int WSAEventSelect(SOCKET s, WSAEVENT hEventObject, int lNetworkEvents);

    /**
     * Atomically copies {@code s}'s event record into {@code lpNetworkEvents}, clears it, and resets
     * {@code hEventObject} if given. If the call fails, nothing is cleared.
     */
    int WSAEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject, WSANETWORKEVENTS lpNetworkEvents);

    /**
     * Waits for one (or all) of 1–64 event objects. Returns {@code WSA_WAIT_EVENT_0 + i} for the lowest signalled
     * index, {@code WSA_WAIT_TIMEOUT}, or {@code WSA_WAIT_FAILED} with {@code WSA_INVALID_PARAMETER} (bad count) or
     * {@code WSA_INVALID_HANDLE}. {@code dwTimeout} is milliseconds or {@code WSA_INFINITE}; {@code fAlertable} is
     * accepted for compatibility (there are no APCs).
     */
    int WSAWaitForMultipleEvents(int cEvents, WSAEVENT[] lphEvents, boolean fWaitAll, int dwTimeout,
                                 boolean fAlertable);

    // ---- control ----

    /**
     * {@code FIONBIO} (non-zero {@code argp[0]} = non-blocking; switching back to blocking while
     * {@code WSAEventSelect} is active fails with {@code WSAEINVAL}) and {@code FIONREAD} (bytes of the next message
     * on message sockets).
     */
    int ioctlsocket(SOCKET s, int cmd, int[] argp);

    /**
     * {@code SIO_MULTIPOINT_LOOPBACK} (in: {@code int[]{BOOL}}, default TRUE), {@code SIO_MULTICAST_SCOPE} (in:
     * {@code int[]{scope}}, default 1), {@code SIO_SET_QOS} (in: {@link QOS}) and {@code SIO_GET_QOS} (out:
     * {@link QOS}; re-arms {@code FD_QOS}). Buffers smaller than the ioctl needs are {@code WSAEFAULT}; the QoS
     * ioctls on a provider without QoS are {@code WSAENOPROTOOPT}. {@code lpcbBytesReturned[0]} receives the output
     * size. Overlapped arguments are not offered.
     */
    int WSAIoctl(SOCKET s, int dwIoControlCode, Object lpvInBuffer, int cbInBuffer, Object lpvOutBuffer,
                 int cbOutBuffer, int[] lpcbBytesReturned);

    // ---- data ----

    /**
     * Sends {@code len} bytes of {@code buf}. A d_root's send reaches every leaf; a rooted d_leaf's only the root;
     * a non-rooted d_leaf's every other member (§1.7). Non-blocking sockets fail with {@code WSAEWOULDBLOCK} when
     * there is no room and get {@code FD_WRITE} when room returns. {@code WSAESHUTDOWN} on a socket joined
     * {@code JL_RECEIVER_ONLY} (decisions 6).
     */
    int send(SOCKET s, byte[] buf, int len, int flags);

    /**
     * Receives one message into {@code buf}; {@code WSAEMSGSIZE} when it was larger than {@code len} (the buffer
     * holds the first {@code len} bytes, the rest is lost). Returns 0 after a graceful close. {@code WSAESHUTDOWN} on
     * a socket joined {@code JL_SENDER_ONLY}.
     */
    int recv(SOCKET s, byte[] buf, int len, int flags);

    /** {@link #send} to an explicit destination ({@code to} is ignored on connected sockets). */
    int sendto(SOCKET s, byte[] buf, int len, int flags, SOCKADDR to, int tolen);

    /** {@link #recv} that also names the sender; on a d_root it names the leaf the message came from. */
    int recvfrom(SOCKET s, byte[] buf, int len, int flags, SOCKADDR from, int[] fromlen);

    /** Disables sends ({@code SD_SEND}), receives ({@code SD_RECEIVE}) or both. */
    int shutdown(SOCKET s, int how);

    /**
     * Closes {@code s}, releasing its event selection (the event object stays open). It is how a leaf leaves a
     * session and how a pending join is cancelled (§3 R25); on a c_root it ends the session for every leaf.
     */
    int closesocket(SOCKET s);

    // ---- names and options ----

    /** The local address of {@code s}; {@code WSAEINVAL} when unbound, {@code WSAEFAULT} when the buffer is short. */
    int getsockname(SOCKET s, SOCKADDR name, int[] namelen);

    /** The peer of a connected socket (the root, for a rooted leaf); {@code WSAENOTCONN} otherwise. */
    int getpeername(SOCKET s, SOCKADDR name, int[] namelen);

    /**
     * {@code SOL_SOCKET} options: {@code SO_PROTOCOL_INFO} (out: {@link WSAPROTOCOL_INFO}), {@code SO_ERROR} and
     * {@code SO_TYPE} (out: {@code int[1]}; reading {@code SO_ERROR} clears it), {@code SO_MAX_MSG_SIZE}.
     */
    int getsockopt(SOCKET s, int level, int optname, Object optval, int[] optlen);
}
