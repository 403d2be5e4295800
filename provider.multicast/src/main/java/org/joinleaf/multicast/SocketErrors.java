package org.joinleaf.multicast;

import static org.joinleaf.api.Winsock2.WSAEHOSTUNREACH;
import static org.joinleaf.api.Winsock2.WSAENETDOWN;
import static org.joinleaf.api.Winsock2.WSAENETUNREACH;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import org.joinleaf.spi.WsaErrors;
import org.joinleaf.spi.WsaException;

/**
 * Java's I/O failures as Winsock codes through the SPI's one mapping ({@link WsaErrors}, decisions 24), with this
 * provider's hint where to look when the network is the reason.
 */
final class SocketErrors {
    private SocketErrors() {
    }

    /** The Winsock code for {@code e}; {@code WSAENETDOWN} when nothing more precise applies. */
    static int code(IOException e) {
        return WsaErrors.code(e, WSAENETDOWN);
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
