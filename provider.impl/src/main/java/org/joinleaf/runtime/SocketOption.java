package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;

import org.joinleaf.api.IPV6_MREQ;
import org.joinleaf.api.IP_MREQ;
import org.joinleaf.api.LINGER;
import org.joinleaf.api.WSAPROTOCOL_INFO;

/**
 * The {@code setsockopt}/{@code getsockopt} options the runtime knows (issue 13): level, name, the shape of
 * {@code optval}, which sockets they apply to, their default and who implements them. The runtime owns the send and
 * receive timeouts (its blocking loops wait); every other option is handed to the provider
 * ({@code ProviderSocket.setOption}) and remembered for {@code getsockopt}.
 */
enum SocketOption {
    SO_REUSEADDR_(SOL_SOCKET, SO_REUSEADDR, Shape.BOOL, Applies.ANY, false),
    SO_EXCLUSIVEADDRUSE_(SOL_SOCKET, SO_EXCLUSIVEADDRUSE, Shape.BOOL, Applies.ANY, false),
    SO_RCVBUF_(SOL_SOCKET, SO_RCVBUF, Shape.SIZE, Applies.ANY, 65536),
    SO_SNDBUF_(SOL_SOCKET, SO_SNDBUF, Shape.SIZE, Applies.ANY, 65536),
    SO_LINGER_(SOL_SOCKET, SO_LINGER, Shape.LINGER, Applies.STREAM, new LINGER()),
    SO_DONTLINGER_(SOL_SOCKET, SO_DONTLINGER, Shape.BOOL, Applies.STREAM, true),
    SO_KEEPALIVE_(SOL_SOCKET, SO_KEEPALIVE, Shape.BOOL, Applies.STREAM, false),
    SO_BROADCAST_(SOL_SOCKET, SO_BROADCAST, Shape.BOOL, Applies.DATAGRAM, false),
    SO_RCVTIMEO_(SOL_SOCKET, SO_RCVTIMEO, Shape.SIZE, Applies.ANY, 0),
    SO_SNDTIMEO_(SOL_SOCKET, SO_SNDTIMEO, Shape.SIZE, Applies.ANY, 0),
    TCP_NODELAY_(IPPROTO_TCP, TCP_NODELAY, Shape.BOOL, Applies.TCP, false),
    IP_TTL_(IPPROTO_IP, IP_TTL, Shape.TTL, Applies.ANY, 128),
    IP_MULTICAST_TTL_(IPPROTO_IP, IP_MULTICAST_TTL, Shape.TTL, Applies.DATAGRAM, 1),
    IP_MULTICAST_LOOP_(IPPROTO_IP, IP_MULTICAST_LOOP, Shape.BOOL, Applies.DATAGRAM, true),
    IP_MULTICAST_IF_(IPPROTO_IP, IP_MULTICAST_IF, Shape.IN_ADDR, Applies.DATAGRAM, 0),
    IP_ADD_MEMBERSHIP_(IPPROTO_IP, IP_ADD_MEMBERSHIP, Shape.MREQ, Applies.DATAGRAM, null),
    IP_DROP_MEMBERSHIP_(IPPROTO_IP, IP_DROP_MEMBERSHIP, Shape.MREQ, Applies.DATAGRAM, null),
    IPV6_UNICAST_HOPS_(IPPROTO_IPV6, IPV6_UNICAST_HOPS, Shape.TTL, Applies.ANY, 128),
    IPV6_MULTICAST_HOPS_(IPPROTO_IPV6, IPV6_MULTICAST_HOPS, Shape.TTL, Applies.DATAGRAM, 1),
    IPV6_MULTICAST_LOOP_(IPPROTO_IPV6, IPV6_MULTICAST_LOOP, Shape.BOOL, Applies.DATAGRAM, true),
    IPV6_MULTICAST_IF_(IPPROTO_IPV6, IPV6_MULTICAST_IF, Shape.SIZE, Applies.DATAGRAM, 0),
    IPV6_ADD_MEMBERSHIP_(IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, Shape.MREQ6, Applies.DATAGRAM, null),
    IPV6_DROP_MEMBERSHIP_(IPPROTO_IPV6, IPV6_DROP_MEMBERSHIP, Shape.MREQ6, Applies.DATAGRAM, null);

    /** What {@code optval} holds and what the provider is given. */
    enum Shape {
        /** {@code BOOL}: int[1] (or Integer/Boolean), 4 bytes; the provider gets a Boolean. */
        BOOL(4),
        /** A non-negative {@code int}/{@code DWORD}; the provider gets an Integer. */
        SIZE(4),
        /** A TTL or hop limit, 0–255; the provider gets an Integer. */
        TTL(4),
        /** An {@code in_addr} as {@code inet_addr} gives it; the provider gets an {@code Inet4Address}. */
        IN_ADDR(4),
        /** {@link LINGER}; the provider gets a copy. */
        LINGER(org.joinleaf.api.LINGER.SIZE),
        /** {@link IP_MREQ}; the provider gets a copy. */
        MREQ(IP_MREQ.SIZE),
        /** {@link IPV6_MREQ}; the provider gets a copy. */
        MREQ6(IPV6_MREQ.SIZE);

        final int size;

        Shape(int size) {
            this.size = size;
        }
    }

    /** Which sockets take the option; others answer {@code WSAENOPROTOOPT} as Winsock does. */
    enum Applies {
        ANY, STREAM, DATAGRAM,
        /** {@code IPPROTO_TCP} options: TCP stream sockets only. */
        TCP
    }

    final int level;
    final int name;
    final Shape shape;
    final Applies applies;
    /** What getsockopt answers before a setsockopt ({@code null}: not readable, as the membership options). */
    final Object defaultValue;

    SocketOption(int level, int name, Shape shape, Applies applies, Object defaultValue) {
        this.level = level;
        this.name = name;
        this.shape = shape;
        this.applies = applies;
        this.defaultValue = defaultValue;
    }

    /** The option, or null when the level or the name is unknown. */
    static SocketOption find(int level, int name) {
        for (SocketOption o : values()) {
            if (o.level == level && o.name == name) {
                return o;
            }
        }
        return null;
    }

    /** Whether a socket of this entry takes the option: its type, and its family for the IP levels. */
    boolean appliesTo(WSAPROTOCOL_INFO info) {
        if (level == IPPROTO_IP && info.iAddressFamily != AF_INET
                || level == IPPROTO_IPV6 && info.iAddressFamily != AF_INET6) {
            return false;
        }
        boolean connectionless = DatagramConnect.isConnectionless(info);
        switch (applies) {
            case STREAM:
                return !connectionless;
            case DATAGRAM:
                return connectionless;
            case TCP:
                return info.iSocketType == SOCK_STREAM && (info.iProtocol == IPPROTO_TCP || info.iProtocol == 0);
            default:
                return true;
        }
    }

    /** Owned by the runtime (its blocking loops), not handed to the provider. */
    boolean isRuntimeOwned() {
        return this == SO_RCVTIMEO_ || this == SO_SNDTIMEO_;
    }

    /** The Winsock name, for messages. */
    String label() {
        return name().substring(0, name().length() - 1);
    }
}
