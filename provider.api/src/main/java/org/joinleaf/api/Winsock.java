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
 * <li>Overlapped I/O is not offered: {@code WSA_FLAG_OVERLAPPED} is accepted and ignored; a non-null
 * {@link WSAOVERLAPPED} or completion routine fails the call with {@code WSAEINVAL}, the code Winsock gives for a
 * socket that is not an overlapped socket.</li>
 * <li>Byte order is that of a Windows (little-endian) host: {@link Winsock2#htons} swaps, {@code in_addr} values
 * ({@link #inet_addr}) hold the first octet in their low byte. {@link SOCKADDR} keeps its port in host order.</li>
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
     * {@code SO_TYPE} (out: {@code int[1]}; reading {@code SO_ERROR} clears it), {@code SO_MAX_MSG_SIZE}; and every
     * option {@link #setsockopt} takes except the membership ones (set only): the value last set, else Winsock's
     * default ({@code SO_RCVBUF}/{@code SO_SNDBUF} 65536, {@code IP_TTL} 128, {@code IP_MULTICAST_TTL} 1,
     * {@code IP_MULTICAST_LOOP} TRUE, the rest 0/FALSE). Errors as {@link #setsockopt}.
     */
    int getsockopt(SOCKET s, int level, int optname, Object optval, int[] optlen);

    // ---- issue 13: the rest of the calls ported Winsock programs use ----

    /**
     * {@code setsockopt}. {@code optval} is {@code int[1]} for {@code int}/{@code BOOL}/{@code DWORD} options (a
     * boxed {@code Integer}/{@code Boolean} is accepted too), {@link LINGER} for {@code SO_LINGER}, {@link IP_MREQ}
     * and {@link IPV6_MREQ} for the membership options; {@code optlen} is the C size (4, {@link LINGER#SIZE},
     * {@link IP_MREQ#SIZE}, {@link IPV6_MREQ#SIZE}). {@code SOL_SOCKET}: {@code SO_REUSEADDR},
     * {@code SO_EXCLUSIVEADDRUSE}, {@code SO_RCVBUF}, {@code SO_SNDBUF}, {@code SO_LINGER}, {@code SO_DONTLINGER},
     * {@code SO_KEEPALIVE}, {@code SO_BROADCAST}, {@code SO_RCVTIMEO}, {@code SO_SNDTIMEO} (milliseconds, 0 =
     * forever); {@code IPPROTO_TCP}: {@code TCP_NODELAY}; {@code IPPROTO_IP}: {@code IP_TTL},
     * {@code IP_MULTICAST_TTL}, {@code IP_MULTICAST_LOOP}, {@code IP_MULTICAST_IF} ({@code in_addr} as
     * {@code inet_addr} gives it), {@code IP_ADD_MEMBERSHIP}, {@code IP_DROP_MEMBERSHIP}; {@code IPPROTO_IPV6}:
     * {@code IPV6_MULTICAST_HOPS}, {@code IPV6_MULTICAST_LOOP}, {@code IPV6_MULTICAST_IF} (interface index),
     * {@code IPV6_ADD_MEMBERSHIP}, {@code IPV6_DROP_MEMBERSHIP}. Errors: {@code WSAENOPROTOOPT} for an unknown level
     * or option, or one the socket's type or provider does not offer; {@code WSAEFAULT} when {@code optval} is null,
     * of the wrong type, or {@code optlen} is smaller than the option's size; {@code WSAEINVAL} for a value out of
     * range.
     */
    int setsockopt(SOCKET s, int level, int optname, Object optval, int optlen);

    /**
     * {@code socket}: {@link #WSASocket} with no protocol info, no group and no flags (Winsock's {@code socket} makes
     * overlapped sockets; overlapped I/O is not offered here, so that flag is moot).
     */
    SOCKET socket(int af, int type, int protocol);

    /**
     * {@code connect}: {@link #WSAConnect} without connect data or QoS. On a connectionless socket (a datagram or
     * multicast socket, also after {@link #WSAJoinLeaf}) it sets or changes the default destination of
     * {@code send}/{@code recv}, and a name of family {@code AF_UNSPEC} clears it; it never fails with
     * {@code WSAEISCONN} there, which is for connection-oriented sockets only.
     */
    int connect(SOCKET s, SOCKADDR name, int namelen);

    /**
     * {@code WSASend}: gathers {@code dwBufferCount} buffers into one message; {@code lpNumberOfBytesSent[0]}
     * receives the count sent. Flags: 0 or {@code MSG_DONTROUTE} (ignored); others are {@code WSAEOPNOTSUPP}.
     * {@code lpOverlapped} and {@code lpCompletionRoutine} must be {@code null} ({@code WSAEINVAL}: no socket here
     * is an overlapped socket). {@code WSAEFAULT} for a missing or short buffer array or count.
     */
    int WSASend(SOCKET s, WSABUF[] lpBuffers, int dwBufferCount, int[] lpNumberOfBytesSent, int dwFlags,
                WSAOVERLAPPED lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);

    /** {@code WSASendTo}: {@link #WSASend} to {@code lpTo} (ignored on a connected socket, as {@code sendto}). */
    int WSASendTo(SOCKET s, WSABUF[] lpBuffers, int dwBufferCount, int[] lpNumberOfBytesSent, int dwFlags,
                  SOCKADDR lpTo, int iTolen, WSAOVERLAPPED lpOverlapped,
                  LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);

    /**
     * {@code WSARecv}: scatters one message over {@code dwBufferCount} buffers; {@code lpNumberOfBytesRecvd[0]}
     * receives the count. {@code lpFlags[0]} in: 0 or {@code MSG_PEEK}; out: 0, or {@code MSG_PARTIAL} when the
     * message was larger than the buffers on an entry with {@code XP1_PARTIAL_MESSAGE} (the rest comes with the next
     * call). On any other message-oriented entry a larger message fills the buffers, the rest is lost and the call
     * fails with {@code WSAEMSGSIZE} (the count is still set). Overlapped arguments as {@link #WSASend}.
     */
    int WSARecv(SOCKET s, WSABUF[] lpBuffers, int dwBufferCount, int[] lpNumberOfBytesRecvd, int[] lpFlags,
                WSAOVERLAPPED lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);

    /** {@code WSARecvFrom}: {@link #WSARecv} that names the sender, as {@link #recvfrom}. */
    int WSARecvFrom(SOCKET s, WSABUF[] lpBuffers, int dwBufferCount, int[] lpNumberOfBytesRecvd, int[] lpFlags,
                    SOCKADDR lpFrom, int[] lpFromlen, WSAOVERLAPPED lpOverlapped,
                    LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);

    /**
     * {@code select}: waits until a descriptor of the sets is ready or {@code timeout} passes ({@code null} waits
     * forever; 0 polls), rewrites each set to its ready descriptors and returns how many there are in all (0 on
     * timeout). Readable: a message or a graceful/abortive close is pending, or a listener has a request queued.
     * Writable: connected (or connectionless) with room to send. Except: a non-blocking connect failed. {@code nfds}
     * is ignored, as in Winsock. Errors: {@code WSAEINVAL} when all three sets are null or empty or the timeout is
     * negative, {@code WSAENOTSOCK} when a set holds something that is not a socket of this process,
     * {@code WSAEINTR} when the waiting thread is interrupted.
     */
    int select(int nfds, FD_SET readfds, FD_SET writefds, FD_SET exceptfds, TIMEVAL timeout);

    /**
     * {@code WSAIoctl} in its nine-argument form. {@code lpOverlapped}/{@code lpCompletionRoutine} must be
     * {@code null} ({@code WSAEINVAL}). Besides the codes of the seven-argument form: {@code SIO_ADDRESS_LIST_QUERY}
     * (out: {@link SOCKET_ADDRESS_LIST}, the local addresses of the socket's family); a {@code cbOutBuffer} below
     * the size needed is {@code WSAEFAULT} with {@code lpcbBytesReturned[0]} set to that size.
     */
    int WSAIoctl(SOCKET s, int dwIoControlCode, Object lpvInBuffer, int cbInBuffer, Object lpvOutBuffer,
                 int cbOutBuffer, int[] lpcbBytesReturned, WSAOVERLAPPED lpOverlapped,
                 LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);

    // ---- names and addresses ----

    /**
     * {@code getaddrinfo}: numeric hosts and services directly, names through the JDK resolver. Returns 0 with the
     * list in {@code ppResult[0]}, or the code (also the last error): {@code EAI_NONAME}/{@code WSAHOST_NOT_FOUND},
     * {@code EAI_AGAIN}, {@code EAI_FAMILY}/{@code WSAEAFNOSUPPORT}, {@code EAI_SOCKTYPE}, {@code EAI_SERVICE},
     * {@code EAI_BADFLAGS}; {@code EAI_NONAME} also when both names are null;
     * {@code WSANO_DATA} for a name without an address of the family asked; {@code WSAEFAULT} without
     * {@code ppResult}.
     * {@code pNodeName} null with {@code AI_PASSIVE} gives the wildcard address, without it the loopback address.
     */
    int getaddrinfo(String pNodeName, String pServiceName, ADDRINFO pHints, ADDRINFO[] ppResult);

    /** {@code freeaddrinfo}: nothing to free in Java; unlinks the chain so stale results are not reused. */
    void freeaddrinfo(ADDRINFO pAddrInfo);

    /**
     * {@code getnameinfo}: host and service of {@code pSockaddr}, into the buffers (each set to the text,
     * {@code null} to skip). Flags {@code NI_NUMERICHOST}, {@code NI_NUMERICSERV}, {@code NI_NAMEREQD},
     * {@code NI_NOFQDN}, {@code NI_DGRAM}. Returns 0 or the code: {@code EAI_FAMILY}, {@code EAI_NONAME} (no name
     * and {@code NI_NAMEREQD}), {@code WSAEFAULT} (length smaller than the address, or a buffer size below the text
     * plus its terminating NUL), {@code EAI_BADFLAGS}.
     */
    int getnameinfo(SOCKADDR pSockaddr, int SockaddrLength, StringBuilder pNodeBuffer, int NodeBufferSize,
                    StringBuilder pServiceBuffer, int ServiceBufferSize, int Flags);

    /**
     * {@code WSAStringToAddress}: {@code "a.b.c.d[:port]"} for {@code AF_INET}, {@code "addr"},
     * {@code "addr%scope"} or {@code "[addr%scope]:port"} for {@code AF_INET6}; numeric only. {@code WSAEINVAL} when
     * the text is not an address of the family, {@code WSAEFAULT} (with the size needed in
     * {@code lpAddressLength[0]}) when the length is too small, {@code WSAEAFNOSUPPORT} for another family.
     */
    int WSAStringToAddress(String AddressString, int AddressFamily, WSAPROTOCOL_INFO lpProtocolInfo,
                           SOCKADDR lpAddress, int[] lpAddressLength);

    /**
     * {@code WSAAddressToString}: {@code "a.b.c.d:port"} / {@code "[addr%scope]:port"}, the port left out when 0.
     * {@code WSAEFAULT} when {@code lpdwAddressStringLength[0]} is below the length plus the NUL (set to that size),
     * {@code WSAEINVAL} for an address that is not IPv4 or IPv6 or a length below its size.
     */
    int WSAAddressToString(SOCKADDR lpsaAddress, int dwAddressLength, WSAPROTOCOL_INFO lpProtocolInfo,
                           StringBuilder lpszAddressString, int[] lpdwAddressStringLength);

    /**
     * {@code inet_addr}: the dotted IPv4 forms ({@code a.b.c.d}, {@code a.b.c}, {@code a.b}, {@code a}, each part
     * decimal, octal or hex) to a network-order {@code in_addr} ({@link SOCKADDR#sin_addr()}); {@code INADDR_NONE}
     * when invalid. Sets no error.
     */
    int inet_addr(String cp);

    /** {@code inet_ntoa}: the dotted text of a network-order {@code in_addr}. */
    String inet_ntoa(int in);

    /**
     * {@code inet_pton}: text to 4 ({@code AF_INET}) or 16 ({@code AF_INET6}) bytes in {@code pAddrBuf}. Returns 1,
     * 0 when the text is not an address of the family, or -1 with {@code WSAEAFNOSUPPORT} (another family) or
     * {@code WSAEFAULT} (null text or a buffer too small).
     */
    int inet_pton(int Family, String pszAddrString, byte[] pAddrBuf);

    /**
     * {@code inet_ntop}: the text of 4 or 16 address bytes, also put into {@code pStringBuf}; {@code null} with
     * {@code WSAEAFNOSUPPORT} for another family or {@code WSA_INVALID_PARAMETER} (a null buffer, or
     * {@code StringBufSize} below the text plus its NUL).
     */
    String inet_ntop(int Family, byte[] pAddr, StringBuilder pStringBuf, int StringBufSize);

    /**
     * {@code gethostname}: this host's name into {@code name}. {@code WSAEFAULT} when {@code namelen} is below its
     * length plus the NUL or {@code name} is null.
     */
    int gethostname(StringBuilder name, int namelen);

    /** {@code WSAHtons}: {@link Winsock2#htons} for a socket of this process ({@code WSAENOTSOCK}, {@code WSAEFAULT}). */
    int WSAHtons(SOCKET s, short hostshort, short[] lpnetshort);

    /** {@code WSAHtonl}: as {@link #WSAHtons}, 32 bits. */
    int WSAHtonl(SOCKET s, int hostlong, int[] lpnetlong);

    /** {@code WSANtohs}: as {@link #WSAHtons}, the other way. */
    int WSANtohs(SOCKET s, short netshort, short[] lphostshort);

    /** {@code WSANtohl}: as {@link #WSAHtonl}, the other way. */
    int WSANtohl(SOCKET s, int netlong, int[] lphostlong);
}
