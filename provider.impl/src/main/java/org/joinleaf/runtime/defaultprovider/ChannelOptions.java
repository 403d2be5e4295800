package org.joinleaf.runtime.defaultprovider;

import static org.joinleaf.api.Winsock2.*;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.util.LinkedHashMap;
import java.util.Map;
import org.joinleaf.api.LINGER;
import org.joinleaf.spi.WsaErrors;
import org.joinleaf.spi.WsaException;

/**
 * The default provider's {@code setsockopt} (issue 13): each Winsock option as the JDK's socket option, kept so
 * that a channel opened later (TCP opens one to bind, another to listen or connect) gets it too. The runtime has
 * checked level, type, length and range. {@code SO_EXCLUSIVEADDRUSE} and {@code IP_TTL}/{@code IPV6_UNICAST_HOPS}
 * have no JDK counterpart: the first is what Linux does anyway without {@code SO_REUSEADDR} (no other socket may
 * share the port), the second is accepted and not applied (the host's default TTL stays), as the README says.
 */
final class ChannelOptions {
    private final Map<SocketOption<?>, Object> values = new LinkedHashMap<>();
    /** The interface {@code IP_MULTICAST_IF}/{@code IPV6_MULTICAST_IF} named, or null. */
    private NetworkInterface multicastInterface;

    /** Records the option and applies it to {@code channel} when there is one. */
    synchronized void set(int level, int optname, Object value, NetworkChannel channel) throws WsaException {
        SocketOption<?> option;
        Object javaValue = value;
        switch (level << 16 | (optname & 0xFFFF)) {
            case SOL_SOCKET << 16 | SO_REUSEADDR:
                option = StandardSocketOptions.SO_REUSEADDR;
                break;
            case SOL_SOCKET << 16 | (SO_EXCLUSIVEADDRUSE & 0xFFFF):
            case IPPROTO_IP << 16 | IP_TTL:
            case IPPROTO_IPV6 << 16 | IPV6_UNICAST_HOPS:
                return;
            case SOL_SOCKET << 16 | SO_RCVBUF:
                if ((Integer) value == 0) {
                    return; // 0 keeps the system's size
                }
                option = StandardSocketOptions.SO_RCVBUF;
                break;
            case SOL_SOCKET << 16 | SO_SNDBUF:
                if ((Integer) value == 0) {
                    return;
                }
                option = StandardSocketOptions.SO_SNDBUF;
                break;
            case SOL_SOCKET << 16 | SO_LINGER:
                option = StandardSocketOptions.SO_LINGER;
                javaValue = ((LINGER) value).l_onoff == 0 ? -1 : ((LINGER) value).l_linger;
                break;
            case SOL_SOCKET << 16 | (SO_DONTLINGER & 0xFFFF):
                option = StandardSocketOptions.SO_LINGER;
                javaValue = (Boolean) value ? -1 : 0;
                break;
            case SOL_SOCKET << 16 | SO_KEEPALIVE:
                option = StandardSocketOptions.SO_KEEPALIVE;
                break;
            case SOL_SOCKET << 16 | SO_BROADCAST:
                option = StandardSocketOptions.SO_BROADCAST;
                break;
            case IPPROTO_TCP << 16 | TCP_NODELAY:
                option = StandardSocketOptions.TCP_NODELAY;
                break;
            case IPPROTO_IP << 16 | IP_MULTICAST_TTL:
            case IPPROTO_IPV6 << 16 | IPV6_MULTICAST_HOPS:
                option = StandardSocketOptions.IP_MULTICAST_TTL;
                break;
            case IPPROTO_IP << 16 | IP_MULTICAST_LOOP:
            case IPPROTO_IPV6 << 16 | IPV6_MULTICAST_LOOP:
                option = StandardSocketOptions.IP_MULTICAST_LOOP;
                break;
            case IPPROTO_IP << 16 | IP_MULTICAST_IF:
            case IPPROTO_IPV6 << 16 | IPV6_MULTICAST_IF:
                NetworkInterface ni = interfaceOf(value);
                if (ni == null) {
                    multicastInterface = null;
                    return; // INADDR_ANY / index 0: the system's choice
                }
                multicastInterface = ni;
                option = StandardSocketOptions.IP_MULTICAST_IF;
                javaValue = ni;
                break;
            default:
                throw new WsaException(WSAENOPROTOOPT, "option " + optname + " at level " + level
                        + " is not offered by the default provider");
        }
        values.put(option, javaValue);
        if (channel != null) {
            apply(channel, option, javaValue);
        }
    }

    /** Gives a newly opened channel every option set so far (those its kind of channel has). */
    synchronized void applyTo(NetworkChannel channel) throws WsaException {
        for (Map.Entry<SocketOption<?>, Object> e : values.entrySet()) {
            if (channel.supportedOptions().contains(e.getKey())) {
                apply(channel, e.getKey(), e.getValue());
            }
        }
    }

    synchronized NetworkInterface multicastInterface() {
        return multicastInterface;
    }

    @SuppressWarnings("unchecked")
    private static void apply(NetworkChannel channel, SocketOption<?> option, Object value) throws WsaException {
        try {
            channel.setOption((SocketOption<Object>) option, value);
        } catch (UnsupportedOperationException e) {
            throw new WsaException(WSAENOPROTOOPT, option.name() + " is not supported on this socket");
        } catch (IllegalArgumentException e) {
            throw new WsaException(WSAEINVAL, option.name() + " " + value + " is not accepted: " + e.getMessage());
        } catch (IOException e) {
            throw WsaErrors.exception(e, WSAEINVAL, "setting " + option.name());
        }
    }

    /** An {@code Inet4Address} (IPv4) or an {@code Integer} index (IPv6) as an interface; null for "any". */
    static NetworkInterface interfaceOf(Object value) throws WsaException {
        try {
            NetworkInterface ni;
            if (value instanceof InetAddress) {
                if (((InetAddress) value).isAnyLocalAddress()) {
                    return null;
                }
                ni = NetworkInterface.getByInetAddress((InetAddress) value);
            } else {
                int index = (Integer) value;
                if (index == 0) {
                    return null;
                }
                ni = NetworkInterface.getByIndex(index);
            }
            if (ni == null) {
                throw new WsaException(WSAEADDRNOTAVAIL, "no local interface has " + (value instanceof InetAddress
                        ? "the address " + ((InetAddress) value).getHostAddress() : "the index " + value));
            }
            return ni;
        } catch (SocketException e) {
            throw new WsaException(WSAENETDOWN, "the interfaces cannot be listed: " + e.getMessage());
        }
    }
}
