package org.joinleaf.api;

/**
 * Every Winsock 2 constant the multipoint contract uses, with its exact value from {@code winsock2.h},
 * {@code ws2def.h} and {@code qos.h}. Import statically ({@code import static org.joinleaf.api.Winsock2.*;}) so
 * ported code reads as it did in C.
 *
 * <p>Error codes are here as {@code int}s because {@link Winsock#WSAGetLastError()} returns an {@code int};
 * {@link WSAError} maps each code to its name.
 */
public final class Winsock2 {
    private Winsock2() {
    }

    /** {@code MAKEWORD(low, high)}: the version word {@code WSAStartup} takes, for example {@code MAKEWORD(2, 2)}. */
    public static short MAKEWORD(int low, int high) {
        return (short) ((low & 0xFF) | ((high & 0xFF) << 8));
    }

    /** Low byte of a version word (the major version). */
    public static int LOBYTE(short w) {
        return w & 0xFF;
    }

    /** High byte of a version word (the minor version). */
    public static int HIBYTE(short w) {
        return (w >> 8) & 0xFF;
    }

    // --- sentinels (§2.7) ---
    public static final int SOCKET_ERROR = -1;
    public static final int WSA_INFINITE = 0xFFFFFFFF;
    public static final int WSA_WAIT_FAILED = 0xFFFFFFFF;
    public static final int WSA_WAIT_EVENT_0 = 0;
    public static final int WSA_WAIT_IO_COMPLETION = 0xC0;
    public static final int WSA_WAIT_TIMEOUT = 258;
    public static final int WSA_MAXIMUM_WAIT_EVENTS = 64;
    public static final int WSADESCRIPTION_LEN = 256;
    public static final int WSASYS_STATUS_LEN = 128;

    // --- address families, socket types, protocols (ws2def.h) ---
    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 23;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_RDM = 4;
    public static final int SOCK_SEQPACKET = 5;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_RM = 113;

    // --- WSASocket dwFlags (§2.1) ---
    public static final int WSA_FLAG_OVERLAPPED = 0x01;
    public static final int WSA_FLAG_MULTIPOINT_C_ROOT = 0x02;
    public static final int WSA_FLAG_MULTIPOINT_C_LEAF = 0x04;
    public static final int WSA_FLAG_MULTIPOINT_D_ROOT = 0x08;
    public static final int WSA_FLAG_MULTIPOINT_D_LEAF = 0x10;
    public static final int WSA_FLAG_ACCESS_SYSTEM_SECURITY = 0x40;
    public static final int WSA_FLAG_NO_HANDLE_INHERIT = 0x80;
    public static final int WSA_FLAG_REGISTERED_IO = 0x100;

    // --- WSAPROTOCOL_INFO.dwServiceFlags1 (§2.2) ---
    public static final int XP1_CONNECTIONLESS = 0x00000001;
    public static final int XP1_GUARANTEED_DELIVERY = 0x00000002;
    public static final int XP1_GUARANTEED_ORDER = 0x00000004;
    public static final int XP1_MESSAGE_ORIENTED = 0x00000008;
    public static final int XP1_PSEUDO_STREAM = 0x00000010;
    public static final int XP1_GRACEFUL_CLOSE = 0x00000020;
    public static final int XP1_EXPEDITED_DATA = 0x00000040;
    public static final int XP1_CONNECT_DATA = 0x00000080;
    public static final int XP1_DISCONNECT_DATA = 0x00000100;
    public static final int XP1_SUPPORT_BROADCAST = 0x00000200;
    public static final int XP1_SUPPORT_MULTIPOINT = 0x00000400;
    public static final int XP1_MULTIPOINT_CONTROL_PLANE = 0x00000800;
    public static final int XP1_MULTIPOINT_DATA_PLANE = 0x00001000;
    public static final int XP1_QOS_SUPPORTED = 0x00002000;
    public static final int XP1_INTERRUPT = 0x00004000;
    public static final int XP1_UNI_SEND = 0x00008000;
    public static final int XP1_UNI_RECV = 0x00010000;
    public static final int XP1_IFS_HANDLES = 0x00020000;
    public static final int XP1_PARTIAL_MESSAGE = 0x00040000;
    public static final int XP1_SAN_SUPPORT_SDP = 0x00080000;

    // --- WSAPROTOCOL_INFO.dwProviderFlags and chains (§2.2) ---
    public static final int PFL_MULTIPLE_PROTO_ENTRIES = 0x1;
    public static final int PFL_RECOMMENDED_PROTO_ENTRY = 0x2;
    public static final int PFL_HIDDEN = 0x4;
    public static final int PFL_MATCHES_PROTOCOL_ZERO = 0x8;
    public static final int PFL_NETWORKDIRECT_PROVIDER = 0x10;
    public static final int MAX_PROTOCOL_CHAIN = 7;
    public static final int BASE_PROTOCOL = 1;
    public static final int LAYERED_PROTOCOL = 0;
    public static final int WSAPROTOCOL_LEN = 255;
    public static final int FROM_PROTOCOL_INFO = -1;
    public static final int SG_UNCONSTRAINED_GROUP = 0x01;
    public static final int SG_CONSTRAINED_GROUP = 0x02;

    // --- WSAJoinLeaf dwFlags (§2.3); JL_BOTH is its own bit, not SENDER|RECEIVER ---
    public static final int JL_SENDER_ONLY = 0x01;
    public static final int JL_RECEIVER_ONLY = 0x02;
    public static final int JL_BOTH = 0x04;

    // --- network events (§2.4) ---
    public static final int FD_READ_BIT = 0;
    public static final int FD_WRITE_BIT = 1;
    public static final int FD_OOB_BIT = 2;
    public static final int FD_ACCEPT_BIT = 3;
    public static final int FD_CONNECT_BIT = 4;
    public static final int FD_CLOSE_BIT = 5;
    public static final int FD_QOS_BIT = 6;
    public static final int FD_GROUP_QOS_BIT = 7;
    public static final int FD_ROUTING_INTERFACE_CHANGE_BIT = 8;
    public static final int FD_ADDRESS_LIST_CHANGE_BIT = 9;
    public static final int FD_MAX_EVENTS = 10;
    public static final int FD_READ = 1 << FD_READ_BIT;
    public static final int FD_WRITE = 1 << FD_WRITE_BIT;
    public static final int FD_OOB = 1 << FD_OOB_BIT;
    public static final int FD_ACCEPT = 1 << FD_ACCEPT_BIT;
    public static final int FD_CONNECT = 1 << FD_CONNECT_BIT;
    public static final int FD_CLOSE = 1 << FD_CLOSE_BIT;
    public static final int FD_QOS = 1 << FD_QOS_BIT;
    public static final int FD_GROUP_QOS = 1 << FD_GROUP_QOS_BIT;
    public static final int FD_ROUTING_INTERFACE_CHANGE = 1 << FD_ROUTING_INTERFACE_CHANGE_BIT;
    public static final int FD_ADDRESS_LIST_CHANGE = 1 << FD_ADDRESS_LIST_CHANGE_BIT;
    public static final int FD_ALL_EVENTS = (1 << FD_MAX_EVENTS) - 1;

    // --- condition function results (§2.5) ---
    public static final int CF_ACCEPT = 0x0000;
    public static final int CF_REJECT = 0x0001;
    public static final int CF_DEFER = 0x0002;

    // --- ioctls (§2.6) ---
    public static final int IOC_VOID = 0x20000000;
    public static final int IOC_OUT = 0x40000000;
    public static final int IOC_IN = 0x80000000;
    public static final int IOC_INOUT = 0xC0000000;
    public static final int IOC_WS2 = 0x08000000;
    public static final int SIO_GET_QOS = 0xC8000007;
    public static final int SIO_GET_GROUP_QOS = 0xC8000008;
    public static final int SIO_MULTIPOINT_LOOPBACK = 0x88000009;
    public static final int SIO_MULTICAST_SCOPE = 0x8800000A;
    public static final int SIO_SET_QOS = 0x8800000B;
    public static final int SIO_SET_GROUP_QOS = 0x8800000C;
    public static final int FIONBIO = 0x8004667E;
    public static final int FIONREAD = 0x4004667F;

    // --- socket options ---
    public static final int SOL_SOCKET = 0xFFFF;
    public static final int SO_ERROR = 0x1007;
    public static final int SO_TYPE = 0x1008;
    public static final int SO_GROUP_ID = 0x2001;
    public static final int SO_GROUP_PRIORITY = 0x2002;
    public static final int SO_MAX_MSG_SIZE = 0x2003;
    public static final int SO_PROTOCOL_INFOA = 0x2004;
    public static final int SO_PROTOCOL_INFOW = 0x2005;
    /** Strings are Java strings, so the wide variant is the natural one. */
    public static final int SO_PROTOCOL_INFO = SO_PROTOCOL_INFOW;
    public static final int SO_CONDITIONAL_ACCEPT = 0x3002;
    /** Issue 13: the options the multicast-like providers take through {@code ProviderSocket.setOption}. */
    public static final int SO_REUSEADDR = 0x0004;
    public static final int SO_RCVBUF = 0x1002;
    public static final int IPPROTO_IP = 0;
    public static final int IPPROTO_IPV6 = 41;
    public static final int IP_MULTICAST_TTL = 10;
    public static final int IP_MULTICAST_LOOP = 11;
    public static final int IPV6_MULTICAST_HOPS = 10;
    public static final int IPV6_MULTICAST_LOOP = 11;

    // --- shutdown(how) and recv flags ---
    public static final int SD_RECEIVE = 0;
    public static final int SD_SEND = 1;
    public static final int SD_BOTH = 2;
    public static final int MSG_PEEK = 0x2;
    public static final int SOMAXCONN = 0x7FFFFFFF;

    // --- issue 13: the rest of the calls ported programs use (winsock2.h, ws2def.h, ws2ipdef.h, ws2tcpip.h) ---
    public static final int MSG_OOB = 0x1;
    public static final int MSG_DONTROUTE = 0x4;
    /** WSARecv out flag: the message continues in the next call (entries with {@code XP1_PARTIAL_MESSAGE}). */
    public static final int MSG_PARTIAL = 0x8000;
    public static final int MSG_WAITALL = 0x8;
    public static final int MSG_TRUNC = 0x0100;

    /** {@code SOL_SOCKET} options (values from winsock2.h / ws2def.h). */
    public static final int SO_DEBUG = 0x0001;
    public static final int SO_ACCEPTCONN = 0x0002;
    public static final int SO_KEEPALIVE = 0x0008;
    public static final int SO_DONTROUTE = 0x0010;
    public static final int SO_BROADCAST = 0x0020;
    public static final int SO_LINGER = 0x0080;
    public static final int SO_OOBINLINE = 0x0100;
    /** {@code (int)(~SO_LINGER)} */
    public static final int SO_DONTLINGER = ~SO_LINGER;
    /** {@code (int)(~SO_REUSEADDR)} */
    public static final int SO_EXCLUSIVEADDRUSE = ~0x0004;
    public static final int SO_SNDBUF = 0x1001;
    public static final int SO_SNDLOWAT = 0x1003;
    public static final int SO_RCVLOWAT = 0x1004;
    public static final int SO_SNDTIMEO = 0x1005;
    public static final int SO_RCVTIMEO = 0x1006;
    public static final int TCP_NODELAY = 0x0001;

    /** {@code IPPROTO_IP} options (ws2ipdef.h). */
    public static final int IP_OPTIONS = 1;
    public static final int IP_HDRINCL = 2;
    public static final int IP_TOS = 3;
    public static final int IP_TTL = 4;
    public static final int IP_MULTICAST_IF = 9;
    public static final int IP_ADD_MEMBERSHIP = 12;
    public static final int IP_DROP_MEMBERSHIP = 13;
    /** {@code IPPROTO_IPV6} options (ws2ipdef.h). */
    public static final int IPV6_UNICAST_HOPS = 4;
    public static final int IPV6_MULTICAST_IF = 9;
    public static final int IPV6_ADD_MEMBERSHIP = 12;
    public static final int IPV6_DROP_MEMBERSHIP = 13;
    public static final int IPV6_JOIN_GROUP = IPV6_ADD_MEMBERSHIP;
    public static final int IPV6_LEAVE_GROUP = IPV6_DROP_MEMBERSHIP;
    public static final int IPV6_V6ONLY = 27;

    /** IPv4 addresses as {@code inet_addr} returns them (network order, see {@link #htonl}). */
    public static final int INADDR_ANY = 0x00000000;
    public static final int INADDR_LOOPBACK = 0x7f000001;
    public static final int INADDR_BROADCAST = 0xffffffff;
    public static final int INADDR_NONE = 0xffffffff;
    public static final int INET_ADDRSTRLEN = 22;
    public static final int INET6_ADDRSTRLEN = 65;

    /** {@code select}: the most descriptors one {@link FD_SET} holds. */
    public static final int FD_SETSIZE = 64;

    /** {@code SIO_ADDRESS_LIST_QUERY}: {@code _WSAIOR(IOC_WS2, 22)}; out: {@link SOCKET_ADDRESS_LIST}. */
    public static final int SIO_ADDRESS_LIST_QUERY = 0x48000016;

    /** {@code getaddrinfo} hints flags (ws2def.h). */
    public static final int AI_PASSIVE = 0x00000001;
    public static final int AI_CANONNAME = 0x00000002;
    public static final int AI_NUMERICHOST = 0x00000004;
    public static final int AI_NUMERICSERV = 0x00000008;
    public static final int AI_ALL = 0x00000100;
    public static final int AI_ADDRCONFIG = 0x00000400;
    public static final int AI_V4MAPPED = 0x00000800;
    /** {@code getnameinfo} flags (ws2def.h). */
    public static final int NI_NOFQDN = 0x01;
    public static final int NI_NUMERICHOST = 0x02;
    public static final int NI_NAMEREQD = 0x04;
    public static final int NI_NUMERICSERV = 0x08;
    public static final int NI_DGRAM = 0x10;
    public static final int NI_MAXHOST = 1025;
    public static final int NI_MAXSERV = 32;
    /** {@code getaddrinfo}/{@code getnameinfo} results are Winsock codes (ws2tcpip.h). */
    public static final int EAI_AGAIN = 11002;
    public static final int EAI_BADFLAGS = 10022;
    public static final int EAI_FAIL = 11003;
    public static final int EAI_FAMILY = 10047;
    public static final int EAI_MEMORY = 8;
    public static final int EAI_NONAME = 11001;
    /** ws2tcpip.h defines {@code EAI_NODATA} as {@code EAI_NONAME}. */
    public static final int EAI_NODATA = EAI_NONAME;
    public static final int EAI_SERVICE = 10109;
    public static final int EAI_SOCKTYPE = 10044;

    /**
     * {@code htons}: host to network byte order. The host is a Windows one, little-endian, so the bytes are swapped
     * and values written by ported code mean what they meant there. {@link SOCKADDR} holds its port in host order:
     * do not {@code htons} into {@code SOCKADDR.port}.
     */
    public static short htons(short hostshort) {
        return Short.reverseBytes(hostshort);
    }

    /** {@code ntohs}: the inverse of {@link #htons}. */
    public static short ntohs(short netshort) {
        return Short.reverseBytes(netshort);
    }

    /** {@code htonl}: as {@link #htons}, for 32 bits. */
    public static int htonl(int hostlong) {
        return Integer.reverseBytes(hostlong);
    }

    /** {@code ntohl}: the inverse of {@link #htonl}. */
    public static int ntohl(int netlong) {
        return Integer.reverseBytes(netlong);
    }

    /** {@code FD_ZERO(set)}. */
    public static void FD_ZERO(FD_SET set) {
        set.fd_count = 0;
    }

    /** {@code FD_SET(s, set)}: adds {@code s} unless present or the set is full ({@link #FD_SETSIZE}), as the macro. */
    public static void FD_SET(SOCKET s, FD_SET set) {
        for (int i = 0; i < set.fd_count; i++) {
            if (set.fd_array[i].equals(s)) {
                return;
            }
        }
        if (set.fd_count < FD_SETSIZE) {
            set.fd_array[set.fd_count++] = s;
        }
    }

    /** {@code FD_CLR(s, set)}. */
    public static void FD_CLR(SOCKET s, FD_SET set) {
        for (int i = 0; i < set.fd_count; i++) {
            if (set.fd_array[i].equals(s)) {
                System.arraycopy(set.fd_array, i + 1, set.fd_array, i, set.fd_count - i - 1);
                set.fd_array[--set.fd_count] = null;
                return;
            }
        }
    }

    /** {@code FD_ISSET(s, set)} ({@code __WSAFDIsSet}). */
    public static boolean FD_ISSET(SOCKET s, FD_SET set) {
        for (int i = 0; i < set.fd_count; i++) {
            if (set.fd_array[i].equals(s)) {
                return true;
            }
        }
        return false;
    }

    // --- QoS (§5) ---
    public static final int SERVICETYPE_NOTRAFFIC = 0x00000000;
    public static final int SERVICETYPE_BESTEFFORT = 0x00000001;
    public static final int SERVICETYPE_CONTROLLEDLOAD = 0x00000002;
    public static final int SERVICETYPE_GUARANTEED = 0x00000003;
    public static final int SERVICETYPE_NETWORK_UNAVAILABLE = 0x00000004;
    public static final int SERVICETYPE_GENERAL_INFORMATION = 0x00000005;
    public static final int SERVICETYPE_NOCHANGE = 0x00000006;
    public static final int SERVICETYPE_NONCONFORMING = 0x00000009;
    public static final int SERVICETYPE_NETWORK_CONTROL = 0x0000000A;
    public static final int SERVICETYPE_QUALITATIVE = 0x0000000D;
    public static final int SERVICE_BESTEFFORT = 0x80010000;
    public static final int SERVICE_CONTROLLEDLOAD = 0x80020000;
    public static final int SERVICE_GUARANTEED = 0x80040000;
    public static final int SERVICE_QUALITATIVE = 0x80200000;
    public static final int SERVICE_NO_TRAFFIC_CONTROL = 0x81000000;
    public static final int SERVICE_NO_QOS_SIGNALING = 0x40000000;
    public static final int QOS_NOT_SPECIFIED = 0xFFFFFFFF;
    public static final int POSITIVE_INFINITY_RATE = 0xFFFFFFFE;
    public static final int QOS_OBJECT_END_OF_LIST = 2001;
    public static final int QOS_OBJECT_SD_MODE = 2002;
    public static final int QOS_OBJECT_SHAPING_RATE = 2003;
    public static final int QOS_OBJECT_DESTADDR = 2004;
    public static final int TC_NONCONF_BORROW = 0;
    public static final int TC_NONCONF_SHAPE = 1;
    public static final int TC_NONCONF_DISCARD = 2;
    public static final int TC_NONCONF_BORROW_PLUS = 3;

    // --- error codes (§2.8); WSAError maps them to names ---
    public static final int NO_ERROR = 0;
    public static final int WSABASEERR = 10000;
    public static final int WSA_INVALID_HANDLE = 6;
    public static final int WSA_NOT_ENOUGH_MEMORY = 8;
    public static final int WSA_INVALID_PARAMETER = 87;
    public static final int WSA_OPERATION_ABORTED = 995;
    public static final int WSA_IO_INCOMPLETE = 996;
    public static final int WSA_IO_PENDING = 997;
    public static final int WSAEINTR = 10004;
    public static final int WSAEBADF = 10009;
    public static final int WSAEACCES = 10013;
    public static final int WSAEFAULT = 10014;
    public static final int WSAEINVAL = 10022;
    public static final int WSAEMFILE = 10024;
    public static final int WSAEWOULDBLOCK = 10035;
    public static final int WSAEINPROGRESS = 10036;
    public static final int WSAEALREADY = 10037;
    public static final int WSAENOTSOCK = 10038;
    public static final int WSAEDESTADDRREQ = 10039;
    public static final int WSAEMSGSIZE = 10040;
    public static final int WSAEPROTOTYPE = 10041;
    public static final int WSAENOPROTOOPT = 10042;
    public static final int WSAEPROTONOSUPPORT = 10043;
    public static final int WSAESOCKTNOSUPPORT = 10044;
    public static final int WSAEOPNOTSUPP = 10045;
    public static final int WSAEPFNOSUPPORT = 10046;
    public static final int WSAEAFNOSUPPORT = 10047;
    public static final int WSAEADDRINUSE = 10048;
    public static final int WSAEADDRNOTAVAIL = 10049;
    public static final int WSAENETDOWN = 10050;
    public static final int WSAENETUNREACH = 10051;
    public static final int WSAENETRESET = 10052;
    public static final int WSAECONNABORTED = 10053;
    public static final int WSAECONNRESET = 10054;
    public static final int WSAENOBUFS = 10055;
    public static final int WSAEISCONN = 10056;
    public static final int WSAENOTCONN = 10057;
    public static final int WSAESHUTDOWN = 10058;
    public static final int WSAETOOMANYREFS = 10059;
    public static final int WSAETIMEDOUT = 10060;
    public static final int WSAECONNREFUSED = 10061;
    public static final int WSAELOOP = 10062;
    public static final int WSAENAMETOOLONG = 10063;
    public static final int WSAEHOSTDOWN = 10064;
    public static final int WSAEHOSTUNREACH = 10065;
    public static final int WSAENOTEMPTY = 10066;
    public static final int WSAEPROCLIM = 10067;
    public static final int WSASYSNOTREADY = 10091;
    public static final int WSAVERNOTSUPPORTED = 10092;
    public static final int WSANOTINITIALISED = 10093;
    public static final int WSAEDISCON = 10101;
    public static final int WSAENOMORE = 10102;
    public static final int WSAECANCELLED = 10103;
    public static final int WSAEINVALIDPROCTABLE = 10104;
    public static final int WSAEINVALIDPROVIDER = 10105;
    public static final int WSAEPROVIDERFAILEDINIT = 10106;
    public static final int WSASYSCALLFAILURE = 10107;
    public static final int WSASERVICE_NOT_FOUND = 10108;
    public static final int WSATYPE_NOT_FOUND = 10109;
    public static final int WSAEREFUSED = 10112;
    public static final int WSAHOST_NOT_FOUND = 11001;
    public static final int WSATRY_AGAIN = 11002;
    public static final int WSANO_RECOVERY = 11003;
    public static final int WSANO_DATA = 11004;
    public static final int WSA_QOS_RECEIVERS = 11005;
    public static final int WSA_QOS_SENDERS = 11006;
    public static final int WSA_QOS_NO_SENDERS = 11007;
    public static final int WSA_QOS_NO_RECEIVERS = 11008;
    public static final int WSA_QOS_REQUEST_CONFIRMED = 11009;
    public static final int WSA_QOS_ADMISSION_FAILURE = 11010;
    public static final int WSA_QOS_POLICY_FAILURE = 11011;
    public static final int WSA_QOS_BAD_STYLE = 11012;
    public static final int WSA_QOS_BAD_OBJECT = 11013;
    public static final int WSA_QOS_TRAFFIC_CTRL_ERROR = 11014;
    public static final int WSA_QOS_GENERIC_ERROR = 11015;
    public static final int WSA_QOS_ESERVICETYPE = 11016;
    public static final int WSA_QOS_EFLOWSPEC = 11017;
    public static final int WSA_QOS_EPROVSPECBUF = 11018;
    public static final int WSA_QOS_EFILTERSTYLE = 11019;
    public static final int WSA_QOS_EFILTERTYPE = 11020;
    public static final int WSA_QOS_EFILTERCOUNT = 11021;
    public static final int WSA_QOS_EOBJLENGTH = 11022;
    public static final int WSA_QOS_EFLOWCOUNT = 11023;
    public static final int WSA_QOS_EUNKNOWNPSOBJ = 11024;
    public static final int WSA_QOS_EPOLICYOBJ = 11025;
    public static final int WSA_QOS_EFLOWDESC = 11026;
    public static final int WSA_QOS_EPSFLOWSPEC = 11027;
    public static final int WSA_QOS_EPSFILTERSPEC = 11028;
    public static final int WSA_QOS_ESDMODEOBJ = 11029;
    public static final int WSA_QOS_ESHAPERATEOBJ = 11030;
    public static final int WSA_QOS_RESERVED_PETYPE = 11031;
}
