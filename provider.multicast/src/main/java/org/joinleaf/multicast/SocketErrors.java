package org.joinleaf.multicast;

import static org.joinleaf.api.Winsock2.WSAEADDRINUSE;
import static org.joinleaf.api.Winsock2.WSAEADDRNOTAVAIL;
import static org.joinleaf.api.Winsock2.WSAEHOSTUNREACH;
import static org.joinleaf.api.Winsock2.WSAEMSGSIZE;
import static org.joinleaf.api.Winsock2.WSAENETDOWN;
import static org.joinleaf.api.Winsock2.WSAENETUNREACH;
import static org.joinleaf.api.Winsock2.WSAENOBUFS;

import java.io.IOException;
import java.net.BindException;
import java.net.NoRouteToHostException;
import java.nio.channels.ClosedChannelException;
import org.joinleaf.spi.WsaException;

/**
 * The one place where Java's I/O failures become Winsock codes. Java reports most socket errors as
 * {@link java.net.SocketException} with the operating system's text, so the text decides where the type does not.
 */
final class SocketErrors {
    private SocketErrors() {
    }

    /** The Winsock code for {@code e}; {@code WSAENETDOWN} when nothing more precise applies. */
    static int code(IOException e) {
        String text = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (e instanceof BindException) {
            return text.contains("assign requested address") ? WSAEADDRNOTAVAIL : WSAEADDRINUSE;
        }
        if (e instanceof NoRouteToHostException) {
            return WSAEHOSTUNREACH;
        }
        if (e instanceof ClosedChannelException) {
            return WSAENETDOWN;
        }
        if (text.contains("network is unreachable")) {
            return WSAENETUNREACH;
        }
        if (text.contains("message too long")) {
            return WSAEMSGSIZE;
        }
        if (text.contains("no buffer space")) {
            return WSAENOBUFS;
        }
        return WSAENETDOWN;
    }

    /** A {@link WsaException} saying what was being done, what the system said, and where to look. */
    static WsaException of(IOException e, String doing) {
        int code = code(e);
        String cause = e instanceof ClosedChannelException ? "the socket was closed (provider stopping)"
                : e.getMessage();
        boolean network = code == WSAENETDOWN || code == WSAENETUNREACH || code == WSAEHOSTUNREACH;
        return new WsaException(code, doing + ": " + cause + (network
                ? " (check interfaceName/ipv4Interface of " + MulticastConfig.PID + ")" : ""));
    }
}
