package org.joinleaf.runtime.defaultprovider;

import static org.joinleaf.api.Winsock2.*;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.joinleaf.api.LINGER;
import org.joinleaf.spi.WsaErrors;
import org.joinleaf.spi.WsaException;

/**
 * The default provider's {@code setsockopt} and {@code getsockopt} (issue 13): each Winsock option as the JDK's socket
 * option, kept so that a channel opened later (TCP opens one to bind, another to listen or connect) gets it too, and
 * read back from the channel for {@code getsockopt} (the size Linux really gives, twice the one asked for). The
 * runtime has checked level, type, length and range. {@code SO_EXCLUSIVEADDRUSE} is applied as {@code SO_REUSEADDR}
 * off, under which Linux lets no other socket share the port. {@code IP_TTL}/{@code IPV6_UNICAST_HOPS} have no JDK
 * counterpart and are refused with {@code WSAENOPROTOOPT} (decision 26; getsockopt reads the host's default). The
 * multicast loopback options are the socket's own receive filter ({@link UdpSocket}), not a kernel option.
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
                if (!(Boolean) value) {
                    return; // off: sharing depends on SO_REUSEADDR alone, as on Windows
                }
                option = StandardSocketOptions.SO_REUSEADDR;
                javaValue = false;
                break;
            case IPPROTO_IP << 16 | IP_TTL:
            case IPPROTO_IPV6 << 16 | IPV6_UNICAST_HOPS:
                throw new WsaException(WSAENOPROTOOPT, (level == IPPROTO_IP ? "IP_TTL" : "IPV6_UNICAST_HOPS")
                        + " cannot be applied by the default provider (the JDK has no unicast TTL option); the host's"
                        + " default stays in effect (getsockopt reads it; on Linux sysctl net.ipv4.ip_default_ttl)");
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

    /**
     * The option in effect on {@code channel}, in the shape {@code setOption} takes, or null where the channel cannot
     * say (no channel yet, an option its kind of channel lacks, one only recorded): the runtime then answers the
     * value last set.
     */
    static Object get(int level, int optname, NetworkChannel channel) throws WsaException {
        switch (level << 16 | (optname & 0xFFFF)) {
            case IPPROTO_IP << 16 | IP_TTL:
                return hostDefault("/proc/sys/net/ipv4/ip_default_ttl");
            case IPPROTO_IPV6 << 16 | IPV6_UNICAST_HOPS:
                return hostDefault("/proc/sys/net/ipv6/conf/default/hop_limit");
            case SOL_SOCKET << 16 | SO_REUSEADDR:
                return read(channel, StandardSocketOptions.SO_REUSEADDR);
            case SOL_SOCKET << 16 | SO_RCVBUF:
                return read(channel, StandardSocketOptions.SO_RCVBUF);
            case SOL_SOCKET << 16 | SO_SNDBUF:
                return read(channel, StandardSocketOptions.SO_SNDBUF);
            case SOL_SOCKET << 16 | SO_KEEPALIVE:
                return read(channel, StandardSocketOptions.SO_KEEPALIVE);
            case SOL_SOCKET << 16 | SO_BROADCAST:
                return read(channel, StandardSocketOptions.SO_BROADCAST);
            case IPPROTO_TCP << 16 | TCP_NODELAY:
                return read(channel, StandardSocketOptions.TCP_NODELAY);
            case IPPROTO_IP << 16 | IP_MULTICAST_TTL:
            case IPPROTO_IPV6 << 16 | IPV6_MULTICAST_HOPS:
                return read(channel, StandardSocketOptions.IP_MULTICAST_TTL);
            case SOL_SOCKET << 16 | SO_LINGER: {
                Integer seconds = read(channel, StandardSocketOptions.SO_LINGER);
                return seconds == null ? null : new LINGER(seconds < 0 ? 0 : 1, Math.max(seconds, 0));
            }
            case SOL_SOCKET << 16 | (SO_DONTLINGER & 0xFFFF): {
                Integer seconds = read(channel, StandardSocketOptions.SO_LINGER);
                return seconds == null ? null : seconds < 0;
            }
            default:
                return null;
        }
    }

    private static <T> T read(NetworkChannel channel, SocketOption<T> option) throws WsaException {
        if (channel == null || !channel.isOpen() || !channel.supportedOptions().contains(option)) {
            return null;
        }
        try {
            return channel.getOption(option);
        } catch (IOException e) {
            throw WsaErrors.exception(e, WSAEINVAL, "reading " + option.name());
        }
    }

    /** A TTL the host gives every socket, from its sysctl file; null where there is none (not Linux). */
    private static Integer hostDefault(String sysctl) {
        try {
            // readAllLines, not readString: a procfs file reports size 0, and readString then read "6" of "64"
            // in a gVisor sandbox
            return Integer.valueOf(Files.readAllLines(Path.of(sysctl)).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return null;
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
