package org.joinleaf.runtime.defaultprovider;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import org.joinleaf.api.WSAError;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.WsaException;

/**
 * Maps the JDK's socket exceptions to Winsock codes. The JDK keeps the OS reason only in the message text
 * ({@code strerror}), so the mapping reads it; what it does not recognise gets the caller's fallback code.
 */
final class WinsockErrors {
    private WinsockErrors() {
    }

    /** The Winsock code for {@code e}, or {@code fallback} when the reason is not recognised. */
    static int code(IOException e, int fallback) {
        if (e instanceof ClosedChannelException) {
            return Winsock2.WSAENOTSOCK;
        }
        if (e instanceof PortUnreachableException) {
            return Winsock2.WSAECONNRESET; // Windows reports ICMP port unreachable on UDP this way
        }
        if (e instanceof SocketTimeoutException) {
            return Winsock2.WSAETIMEDOUT;
        }
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (m.contains("refused")) {
            return Winsock2.WSAECONNREFUSED;
        } else if (m.contains("reset") || m.contains("broken pipe")) {
            return Winsock2.WSAECONNRESET;
        } else if (m.contains("timed out")) {
            return Winsock2.WSAETIMEDOUT;
        } else if (m.contains("network is unreachable")) {
            return Winsock2.WSAENETUNREACH;
        } else if (m.contains("network is down")) {
            return Winsock2.WSAENETDOWN;
        } else if (m.contains("host is down")) {
            return Winsock2.WSAEHOSTDOWN;
        } else if (e instanceof NoRouteToHostException || m.contains("no route to host")) {
            return Winsock2.WSAEHOSTUNREACH;
        } else if (m.contains("already in use")) {
            return Winsock2.WSAEADDRINUSE;
        } else if (m.contains("assign requested address") || m.contains("address not available")) {
            return Winsock2.WSAEADDRNOTAVAIL;
        } else if (m.contains("abort")) {
            return Winsock2.WSAECONNABORTED;
        } else if (m.contains("message too long")) {
            return Winsock2.WSAEMSGSIZE;
        } else if (m.contains("permission denied")) {
            return Winsock2.WSAEACCES;
        } else if (m.contains("family") || m.contains("protocol not supported")) {
            return Winsock2.WSAEAFNOSUPPORT;
        } else if (m.contains("no buffer space")) {
            return Winsock2.WSAENOBUFS;
        } else if (m.contains("too many open files")) {
            return Winsock2.WSAEMFILE;
        } else if (e instanceof BindException) {
            return Winsock2.WSAEADDRNOTAVAIL;
        } else if (e instanceof ConnectException) {
            return Winsock2.WSAECONNREFUSED;
        }
        return fallback;
    }

    /** A {@link WsaException} for {@code e} whose message says what was attempted and what the system answered. */
    static WsaException exception(IOException e, int fallback, String attempted) {
        return new WsaException(code(e, fallback), message(e, fallback, attempted));
    }

    /** The message that goes with {@link #code}: the attempt, the Winsock name and the system's reason. */
    static String message(IOException e, int fallback, String attempted) {
        int code = code(e, fallback);
        return attempted + " failed (" + WSAError.describe(code) + "): " + e;
    }
}
