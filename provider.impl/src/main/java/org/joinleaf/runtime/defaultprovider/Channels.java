package org.joinleaf.runtime.defaultprovider;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.Channel;
import java.nio.channels.NetworkChannel;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.WsaException;

/** Conversions between Winsock addresses and NIO channels shared by the TCP and UDP sockets. */
final class Channels {
    private Channels() {
    }

    static ProtocolFamily family(int addressFamily) {
        return addressFamily == Winsock2.AF_INET6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    /** {@code name} as a Java address; {@code WSAEFAULT} when it is not a complete IPv4 or IPv6 address. */
    static InetSocketAddress address(SOCKADDR name) throws WsaException {
        if (name == null || !name.isWellFormed()) {
            throw new WsaException(Winsock2.WSAEFAULT, "not a complete IPv4 or IPv6 address: " + name);
        }
        return name.toInetSocketAddress();
    }

    /** The channel's bound address, or {@code null} while it is unbound or closed. */
    static SOCKADDR localAddressOf(NetworkChannel channel) {
        try {
            InetSocketAddress a = channel == null ? null : (InetSocketAddress) channel.getLocalAddress();
            return a == null ? null : SOCKADDR.of(a);
        } catch (IOException e) {
            return null;
        }
    }

    static void closeQuietly(Channel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Nothing left to release.
            }
        }
    }
}
