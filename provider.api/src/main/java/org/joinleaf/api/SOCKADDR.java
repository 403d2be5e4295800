package org.joinleaf.api;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * {@code sockaddr_in} / {@code sockaddr_in6}: a socket address whose size in bytes is explicit, so the Winsock
 * {@code namelen} rules are testable (§3 R4: a {@code namelen} smaller than {@link #size()} is {@code WSAEFAULT}).
 * Mutable like the C structure: calls such as {@code getsockname}, {@code accept} and {@code recvfrom} fill it in.
 */
public final class SOCKADDR {
    /** {@code sizeof(sockaddr_in)}. */
    public static final int SIZEOF_SOCKADDR_IN = 16;
    /** {@code sizeof(sockaddr_in6)}. */
    public static final int SIZEOF_SOCKADDR_IN6 = 28;
    /** {@code sizeof(SOCKADDR_STORAGE)}: room for any address. */
    public static final int SIZEOF_SOCKADDR_STORAGE = 128;

    /** {@code AF_INET}, {@code AF_INET6} or {@code AF_UNSPEC} for an empty structure. */
    public int sa_family = Winsock2.AF_UNSPEC;
    /** Port in host order, 0–65535. */
    public int port;
    /** 4 bytes for {@code AF_INET}, 16 for {@code AF_INET6}. */
    public byte[] addr = new byte[0];
    /** {@code sin6_scope_id} for IPv6. */
    public int scopeId;

    /** An empty structure to pass as an out parameter. */
    public SOCKADDR() {
    }

    /** An IPv4 or IPv6 address; the family follows the address. */
    public static SOCKADDR of(InetAddress address, int port) {
        SOCKADDR a = new SOCKADDR();
        a.set(address, port);
        return a;
    }

    /** The same, from a resolved {@link InetSocketAddress}. */
    public static SOCKADDR of(InetSocketAddress address) {
        return of(address.getAddress(), address.getPort());
    }

    /**
     * A numeric address literal ({@code "127.0.0.1"}, {@code "::1"}) and a port. No name lookup is done.
     *
     * @throws IllegalArgumentException if {@code literal} is not a numeric address
     */
    public static SOCKADDR of(String literal, int port) {
        if (literal.isEmpty() || !(Character.digit(literal.charAt(0), 16) >= 0 || literal.charAt(0) == ':')) {
            throw new IllegalArgumentException("not a numeric address: " + literal);
        }
        try {
            return of(InetAddress.getByName(literal), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a numeric address: " + literal, e);
        }
    }

    /** {@code INADDR_ANY} / {@code in6addr_any} with a port. */
    public static SOCKADDR any(int family, int port) {
        SOCKADDR a = new SOCKADDR();
        a.sa_family = family;
        a.port = port;
        a.addr = new byte[family == Winsock2.AF_INET6 ? 16 : 4];
        return a;
    }

    /** Copies another address into this structure (what a call does to its out parameter). */
    public SOCKADDR set(SOCKADDR other) {
        sa_family = other.sa_family;
        port = other.port;
        addr = other.addr.clone();
        scopeId = other.scopeId;
        return this;
    }

    private void set(InetAddress address, int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.sa_family = address instanceof Inet6Address ? Winsock2.AF_INET6 : Winsock2.AF_INET;
        this.port = port;
        this.addr = address.getAddress();
        this.scopeId = address instanceof Inet6Address ? ((Inet6Address) address).getScopeId() : 0;
    }

    /**
     * The C structure's bytes, as {@code lpCallerId.buf} / {@code lpCalleeId.buf} of a condition function carry it:
     * family little-endian, port in network order, then the address ({@code sockaddr_in6} adds flow info and scope).
     */
    public byte[] toBytes() {
        byte[] b = new byte[size()];
        if (b.length == 0) {
            return b;
        }
        b[0] = (byte) sa_family;
        b[1] = (byte) (sa_family >> 8);
        b[2] = (byte) (port >> 8);
        b[3] = (byte) port;
        if (sa_family == Winsock2.AF_INET) {
            System.arraycopy(addr, 0, b, 4, 4);
        } else {
            System.arraycopy(addr, 0, b, 8, 16);
            for (int i = 0; i < 4; i++) {
                b[24 + i] = (byte) (scopeId >> (8 * i));
            }
        }
        return b;
    }

    /** Decodes {@link #toBytes()}; {@code null} when the buffer is too short for the family it names. */
    public static SOCKADDR from(WSABUF name) {
        byte[] b = name == null ? null : name.toBytes();
        if (b == null || b.length < 2) {
            return null;
        }
        SOCKADDR a = new SOCKADDR();
        a.sa_family = (b[0] & 0xFF) | (b[1] & 0xFF) << 8;
        if (b.length < a.size() || a.size() == 0) {
            return null;
        }
        a.port = (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
        if (a.sa_family == Winsock2.AF_INET) {
            a.addr = java.util.Arrays.copyOfRange(b, 4, 8);
        } else {
            a.addr = java.util.Arrays.copyOfRange(b, 8, 24);
            for (int i = 0; i < 4; i++) {
                a.scopeId |= (b[24 + i] & 0xFF) << (8 * i);
            }
        }
        return a;
    }

    /** Bytes the C structure occupies: 16, 28, or 0 for an empty structure. */
    public int size() {
        switch (sa_family) {
            case Winsock2.AF_INET:
                return SIZEOF_SOCKADDR_IN;
            case Winsock2.AF_INET6:
                return SIZEOF_SOCKADDR_IN6;
            default:
                return 0;
        }
    }

    /**
     * {@code sin_addr.s_addr} of an IPv4 address in network order, as {@code inet_addr} returns it and
     * {@code inet_ntoa} takes it (first octet in the low byte, as on a little-endian Windows host).
     */
    public int sin_addr() {
        if (sa_family != Winsock2.AF_INET || addr.length != 4) {
            throw new IllegalStateException("not an IPv4 address: " + this);
        }
        return (addr[0] & 0xFF) | (addr[1] & 0xFF) << 8 | (addr[2] & 0xFF) << 16 | (addr[3] & 0xFF) << 24;
    }

    /** True for the wildcard address ({@code ADDR_ANY}), which §3 R5 makes {@code WSAEADDRNOTAVAIL} as a peer. */
    public boolean isAny() {
        for (byte b : addr) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** True when the family and address bytes agree (4 bytes for IPv4, 16 for IPv6). */
    public boolean isWellFormed() {
        return (sa_family == Winsock2.AF_INET && addr.length == 4)
                || (sa_family == Winsock2.AF_INET6 && addr.length == 16);
    }

    /** The address as a Java socket address. */
    public InetSocketAddress toInetSocketAddress() {
        if (!isWellFormed()) {
            throw new IllegalStateException("not an IPv4 or IPv6 address: " + this);
        }
        try {
            InetAddress a = sa_family == Winsock2.AF_INET6
                    ? Inet6Address.getByAddress(null, addr, scopeId)
                    : Inet4Address.getByAddress(addr);
            return new InetSocketAddress(a, port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SOCKADDR)) {
            return false;
        }
        SOCKADDR a = (SOCKADDR) o;
        return sa_family == a.sa_family && port == a.port && scopeId == a.scopeId && Arrays.equals(addr, a.addr);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sa_family, port, scopeId, Arrays.hashCode(addr));
    }

    @Override
    public String toString() {
        if (!isWellFormed()) {
            return "SOCKADDR(family " + sa_family + ")";
        }
        InetSocketAddress isa = toInetSocketAddress();
        String host = isa.getAddress().getHostAddress();
        return (sa_family == Winsock2.AF_INET6 ? "[" + host + "]" : host) + ":" + port;
    }
}
