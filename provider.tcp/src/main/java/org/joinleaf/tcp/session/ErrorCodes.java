package org.joinleaf.tcp.session;

import io.netty.channel.ConnectTimeoutException;
import java.net.BindException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.util.Locale;
import org.joinleaf.api.Winsock2;

/** Maps Java and Netty failures to the Winsock codes the contract names (§3 R15, §4). */
final class ErrorCodes {
    private ErrorCodes() {
    }

    /** A failed TCP connect of a join: refused, unreachable or timed out (§3 R15, R22). */
    static int ofConnectFailure(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return Winsock2.WSAETIMEDOUT;
        }
        if (cause instanceof NoRouteToHostException || mentions(cause, "unreachable")) {
            return Winsock2.WSAENETUNREACH;
        }
        if (cause instanceof BindException) {
            return bindFailure((BindException) cause);
        }
        return Winsock2.WSAECONNREFUSED;
    }

    /** A failed bind: the address is taken, or is not an address of this host. */
    static int bindFailure(SocketException cause) {
        return mentions(cause, "assign") ? Winsock2.WSAEADDRNOTAVAIL : Winsock2.WSAEADDRINUSE;
    }

    /** True when the failure or one of its causes says {@code word} (the JDK reports ENETUNREACH only so). */
    private static boolean mentions(Throwable t, String word) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage();
            if (m != null && m.toLowerCase(Locale.ROOT).contains(word)) {
                return true;
            }
        }
        return false;
    }
}
