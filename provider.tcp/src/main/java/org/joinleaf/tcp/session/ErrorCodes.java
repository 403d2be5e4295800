package org.joinleaf.tcp.session;

import java.net.SocketException;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.WsaErrors;

/**
 * Java and Netty failures as the Winsock codes the contract allows where they are reported (§3 R11, R15, R22). The
 * JDK-to-Winsock mapping itself is the SPI's one ({@link WsaErrors}, decisions 24); this class only narrows its
 * answer to the codes a join's {@code FD_CONNECT} may carry.
 */
final class ErrorCodes {
    private ErrorCodes() {
    }

    /** A failed TCP connect of a join: refused, unreachable or timed out (§3 R15, R22); R11's bind codes pass. */
    static int ofConnectFailure(Throwable cause) {
        int code = WsaErrors.code(cause, Winsock2.WSAECONNREFUSED);
        switch (code) {
            case Winsock2.WSAECONNREFUSED:
            case Winsock2.WSAENETUNREACH:
            case Winsock2.WSAETIMEDOUT:
            case Winsock2.WSAEAFNOSUPPORT:
            case Winsock2.WSAENOBUFS:
            case Winsock2.WSAEADDRINUSE:
            case Winsock2.WSAEADDRNOTAVAIL:
                return code;
            case Winsock2.WSAEHOSTUNREACH:
            case Winsock2.WSAEHOSTDOWN:
            case Winsock2.WSAENETDOWN:
                return Winsock2.WSAENETUNREACH; // R15 names no host code: the peer cannot be reached
            default:
                return Winsock2.WSAECONNREFUSED; // the join may be tried again (R22)
        }
    }

    /** A failed bind: the address is taken, is not an address of this host, or is privileged. */
    static int bindFailure(SocketException cause) {
        return WsaErrors.code(cause, Winsock2.WSAEADDRINUSE);
    }
}
