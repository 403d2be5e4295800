package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.joinleaf.api.IPV6_MREQ;
import org.joinleaf.api.IP_MREQ;
import org.joinleaf.api.LINGER;
import org.joinleaf.api.SOCKET;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.WsaException;

/**
 * {@code setsockopt} and the {@link SocketOption} half of {@code getsockopt} (issue 13). The checks are Winsock's
 * and the same for every provider: an unknown level or option, or one the socket's type or family does not take,
 * is {@code WSAENOPROTOOPT}; a missing or mistyped {@code optval} or an {@code optlen} below the option's size is
 * {@code WSAEFAULT}; a value out of range {@code WSAEINVAL}, and so is {@code SO_REUSEADDR} together with
 * {@code SO_EXCLUSIVEADDRUSE} (Windows refuses the second of the two).
 */
final class SocketOptions {
    private final DescriptorTable table;

    SocketOptions(DescriptorTable table) {
        this.table = table;
    }

    int setsockopt(SOCKET s, int level, int optname, Object optval, int optlen) throws WsaException {
        SocketRecord r = table.usable(s);
        SocketOption o = known(r, level, optname);
        Object value = read(o, optval, optlen);
        if (o == SocketOption.SO_REUSEADDR_ && Boolean.TRUE.equals(value)
                && r.options.isOn(SocketOption.SO_EXCLUSIVEADDRUSE_)
                || o == SocketOption.SO_EXCLUSIVEADDRUSE_ && Boolean.TRUE.equals(value)
                && r.options.isOn(SocketOption.SO_REUSEADDR_)) {
            throw new WsaException(WSAEINVAL, "SO_REUSEADDR and SO_EXCLUSIVEADDRUSE exclude each other; "
                    + s + " already has the other one set");
        }
        if (!o.isRuntimeOwned()) {
            DescriptorTable.transportOf(r).setOption(o.level, o.name, forProvider(o, value));
        }
        if (o == SocketOption.SO_DONTLINGER_) { // one setting seen through two names, as in Winsock
            r.options.put(SocketOption.SO_LINGER_, new LINGER(Boolean.TRUE.equals(value) ? 0 : 1, 0));
        } else if (o == SocketOption.SO_LINGER_) {
            r.options.put(SocketOption.SO_DONTLINGER_, ((LINGER) value).l_onoff == 0);
        }
        r.options.put(o, value);
        return 0;
    }

    /**
     * {@code getsockopt} of a {@link SocketOption}: the value in effect as the provider reads it back from its
     * transport, else the value last set, else the option's default.
     */
    int getsockopt(SocketRecord r, int level, int optname, Object optval, int[] optlen) throws WsaException {
        SocketOption o = known(r, level, optname);
        if (o.defaultValue == null) {
            throw new WsaException(WSAENOPROTOOPT, o.label() + " can be set but not read");
        }
        if (optlen == null || optlen.length < 1 || optlen[0] < o.shape.size || optval == null) {
            throw new WsaException(WSAEFAULT, o.label() + " needs optval and optlen >= " + o.shape.size);
        }
        Object value = inEffect(r, o);
        if (o.shape == SocketOption.Shape.LINGER) {
            if (!(optval instanceof LINGER)) {
                throw new WsaException(WSAEFAULT, "SO_LINGER reads into a LINGER");
            }
            LINGER l = (LINGER) value;
            ((LINGER) optval).l_onoff = l.l_onoff;
            ((LINGER) optval).l_linger = l.l_linger;
        } else {
            IoctlBuffers.intOut(optval, optlen[0])[0] = value instanceof Boolean ? ((Boolean) value ? 1 : 0)
                    : (Integer) value;
        }
        optlen[0] = o.shape.size;
        return 0;
    }

    private static Object inEffect(SocketRecord r, SocketOption o) throws WsaException {
        ProviderSocket t = r.transport();
        Object read = o.isRuntimeOwned() || t == null ? null : t.getOption(o.level, o.name);
        if (read == null) {
            return r.options.get(o);
        }
        if (o.shape == SocketOption.Shape.IN_ADDR && read instanceof Inet4Address) {
            byte[] b = ((Inet4Address) read).getAddress();
            return (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
        }
        boolean fits = o.shape == SocketOption.Shape.LINGER ? read instanceof LINGER
                : read instanceof Boolean || read instanceof Integer;
        return fits ? read : r.options.get(o); // a provider's odd answer never reaches the caller
    }

    private static SocketOption known(SocketRecord r, int level, int optname) throws WsaException {
        SocketOption o = SocketOption.find(level, optname);
        if (o == null) {
            throw new WsaException(WSAENOPROTOOPT, "option " + optname + " at level " + level
                    + " is unknown (levels SOL_SOCKET, IPPROTO_TCP, IPPROTO_IP, IPPROTO_IPV6; see Winsock.setsockopt)");
        }
        if (!o.appliesTo(r.entry.info)) {
            throw new WsaException(WSAENOPROTOOPT, o.label() + " does not apply to a socket of type "
                    + r.entry.info.iSocketType + " in family " + r.entry.info.iAddressFamily);
        }
        return o;
    }

    /** optval as the runtime keeps it: Boolean, Integer, or a copy of the structure. */
    private static Object read(SocketOption o, Object optval, int optlen) throws WsaException {
        if (optval == null || optlen < o.shape.size) {
            throw new WsaException(WSAEFAULT, o.label() + " needs optval and optlen >= " + o.shape.size + "; got "
                    + (optval == null ? "null" : "optlen " + optlen));
        }
        switch (o.shape) {
            case BOOL:
                return IoctlBuffers.intIn(optval, optlen, "BOOL") != 0;
            case SIZE: {
                int v = IoctlBuffers.intIn(optval, optlen, "int");
                if (v < 0) {
                    throw new WsaException(WSAEINVAL, o.label() + " must not be negative; got " + v);
                }
                return v;
            }
            case TTL: {
                int v = IoctlBuffers.intIn(optval, optlen, "int");
                if (v < 0 || v > 255) {
                    throw new WsaException(WSAEINVAL, o.label() + " must be 0-255; got " + v);
                }
                return v;
            }
            case IN_ADDR:
                return IoctlBuffers.intIn(optval, optlen, "in_addr");
            case LINGER: {
                if (!(optval instanceof LINGER)) {
                    throw new WsaException(WSAEFAULT, "SO_LINGER takes a LINGER (optlen " + LINGER.SIZE + ")");
                }
                LINGER l = (LINGER) optval;
                if (l.l_linger < 0 || l.l_linger > 0xFFFF) {
                    throw new WsaException(WSAEINVAL, "l_linger is a u_short (0-65535); got " + l.l_linger);
                }
                return new LINGER(l.l_onoff, l.l_linger);
            }
            case MREQ: {
                if (!(optval instanceof IP_MREQ)) {
                    throw new WsaException(WSAEFAULT, o.label() + " takes an IP_MREQ (optlen " + IP_MREQ.SIZE + ")");
                }
                IP_MREQ m = (IP_MREQ) optval;
                if (!toInet4(m.imr_multiaddr).isMulticastAddress()) {
                    throw new WsaException(WSAEINVAL, "imr_multiaddr " + toInet4(m.imr_multiaddr).getHostAddress()
                            + " is not a multicast group");
                }
                return new IP_MREQ(m.imr_multiaddr, m.imr_interface);
            }
            default: {
                if (!(optval instanceof IPV6_MREQ) || ((IPV6_MREQ) optval).ipv6mr_multiaddr == null
                        || ((IPV6_MREQ) optval).ipv6mr_multiaddr.length != 16) {
                    throw new WsaException(WSAEFAULT, o.label() + " takes an IPV6_MREQ with a 16-byte group (optlen "
                            + IPV6_MREQ.SIZE + ")");
                }
                IPV6_MREQ m = (IPV6_MREQ) optval;
                if ((m.ipv6mr_multiaddr[0] & 0xFF) != 0xFF) {
                    throw new WsaException(WSAEINVAL, "ipv6mr_multiaddr is not a multicast group (ff00::/8)");
                }
                return new IPV6_MREQ(m.ipv6mr_multiaddr.clone(), m.ipv6mr_interface);
            }
        }
    }

    /** What {@code ProviderSocket.setOption} is given (see its class documentation). */
    private static Object forProvider(SocketOption o, Object value) {
        if (o.shape == SocketOption.Shape.IN_ADDR) {
            return toInet4((Integer) value);
        }
        if (value instanceof LINGER) {
            return new LINGER(((LINGER) value).l_onoff, ((LINGER) value).l_linger);
        }
        if (value instanceof IP_MREQ) {
            return new IP_MREQ(((IP_MREQ) value).imr_multiaddr, ((IP_MREQ) value).imr_interface);
        }
        if (value instanceof IPV6_MREQ) {
            return new IPV6_MREQ(((IPV6_MREQ) value).ipv6mr_multiaddr.clone(), ((IPV6_MREQ) value).ipv6mr_interface);
        }
        return value;
    }

    /** A network-order {@code in_addr} (first octet in the low byte) as an address. */
    static Inet4Address toInet4(int inAddr) {
        byte[] b = {(byte) inAddr, (byte) (inAddr >> 8), (byte) (inAddr >> 16), (byte) (inAddr >> 24)};
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }
}
