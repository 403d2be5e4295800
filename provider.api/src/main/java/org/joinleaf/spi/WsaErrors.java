package org.joinleaf.spi;

import static org.joinleaf.api.Winsock2.WSAEACCES;
import static org.joinleaf.api.Winsock2.WSAEADDRINUSE;
import static org.joinleaf.api.Winsock2.WSAEADDRNOTAVAIL;
import static org.joinleaf.api.Winsock2.WSAEAFNOSUPPORT;
import static org.joinleaf.api.Winsock2.WSAEALREADY;
import static org.joinleaf.api.Winsock2.WSAECONNABORTED;
import static org.joinleaf.api.Winsock2.WSAECONNREFUSED;
import static org.joinleaf.api.Winsock2.WSAECONNRESET;
import static org.joinleaf.api.Winsock2.WSAEHOSTDOWN;
import static org.joinleaf.api.Winsock2.WSAEHOSTUNREACH;
import static org.joinleaf.api.Winsock2.WSAEINTR;
import static org.joinleaf.api.Winsock2.WSAEINVAL;
import static org.joinleaf.api.Winsock2.WSAEISCONN;
import static org.joinleaf.api.Winsock2.WSAEMFILE;
import static org.joinleaf.api.Winsock2.WSAEMSGSIZE;
import static org.joinleaf.api.Winsock2.WSAENETDOWN;
import static org.joinleaf.api.Winsock2.WSAENETUNREACH;
import static org.joinleaf.api.Winsock2.WSAENOBUFS;
import static org.joinleaf.api.Winsock2.WSAENOTCONN;
import static org.joinleaf.api.Winsock2.WSAETIMEDOUT;

import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.Locale;
import javax.net.ssl.SSLException;
import org.joinleaf.api.WSAError;

/**
 * The one mapping from JDK (and Netty) failures to Winsock codes, offered to every provider so the same failure
 * has the same code whichever provider meets it. The JDK keeps the OS reason only in the message text
 * ({@code strerror}), so the text decides where the type does not; the causes are read when the failure itself
 * says nothing. What is not recognised gets the caller's fallback, which names what was being attempted.
 *
 * <p>A {@link ClosedChannelException} is {@code WSAENETDOWN}, not {@code WSAENOTSOCK} (decisions 24).
 */
public final class WsaErrors {
    private static final int CAUSE_DEPTH = 8;

    private WsaErrors() {
    }

    /**
     * The Winsock code for {@code failure}, or {@code fallback} when the reason is not recognised. A precise reason
     * anywhere in the cause chain (a type or the OS text) wins over the broad exception family of the outer failure
     * (a {@code ConnectException} whose cause says "Network is unreachable" is {@code WSAENETUNREACH}).
     */
    public static int code(Throwable failure, int fallback) {
        int precise = firstInChain(failure, true);
        if (precise != 0) {
            return precise;
        }
        int family = firstInChain(failure, false);
        return family != 0 ? family : fallback;
    }

    private static int firstInChain(Throwable failure, boolean precise) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < CAUSE_DEPTH; depth++) {
            int code = precise ? ofOne(t) : ofFamilyType(t);
            if (code != 0) {
                return code;
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return 0;
    }

    /** A {@link WsaException} whose message says what was attempted, the Winsock name and the system's reason. */
    public static WsaException exception(Throwable failure, int fallback, String attempted) {
        return new WsaException(code(failure, fallback), message(failure, fallback, attempted));
    }

    /** The message that goes with {@link #code}: the attempt, the Winsock name and the system's reason. */
    public static String message(Throwable failure, int fallback, String attempted) {
        return attempted + " failed (" + WSAError.describe(code(failure, fallback)) + "): " + failure;
    }

    /** The code for this one throwable, 0 when neither its type nor its text decides. */
    private static int ofOne(Throwable e) {
        if (e instanceof ClosedByInterruptException) {
            return WSAEINTR; // the interrupt cancelled a blocking call, as WSACancelBlockingCall would
        }
        if (e instanceof ClosedChannelException) {
            return WSAENETDOWN; // decisions 24: the descriptor is open, the provider's channel is gone
        }
        int byType = ofStateType(e);
        if (byType != 0) {
            return byType;
        }
        return ofText(e.getMessage());
    }

    /** Channel states the JDK reports by type alone (Winsock's answers for bind, connect, send and listen). */
    private static int ofStateType(Throwable e) {
        if (e instanceof AlreadyBoundException || e instanceof NotYetBoundException) {
            return WSAEINVAL;
        } else if (e instanceof NotYetConnectedException) {
            return WSAENOTCONN;
        } else if (e instanceof AlreadyConnectedException) {
            return WSAEISCONN;
        } else if (e instanceof ConnectionPendingException) {
            return WSAEALREADY;
        } else if (e instanceof UnsupportedAddressTypeException) {
            return WSAEAFNOSUPPORT;
        } else if (e instanceof UnresolvedAddressException) {
            return WSAEADDRNOTAVAIL;
        } else if (e instanceof PortUnreachableException) {
            return WSAECONNRESET; // Windows reports ICMP port unreachable on UDP this way
        } else if (e instanceof SocketTimeoutException) {
            return WSAETIMEDOUT;
        }
        return 0;
    }

    /** The OS reason in the message ({@code strerror} text, as the JDK and Netty's native transports give it). */
    private static int ofText(String message) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (m.isEmpty()) {
            return 0;
        } else if (m.contains("refused")) {
            return WSAECONNREFUSED;
        } else if (m.contains("reset") || m.contains("broken pipe")) {
            return WSAECONNRESET;
        } else if (m.contains("timed out")) {
            return WSAETIMEDOUT;
        } else if (m.contains("network is unreachable")) {
            return WSAENETUNREACH;
        } else if (m.contains("network is down")) {
            return WSAENETDOWN;
        } else if (m.contains("host is down")) {
            return WSAEHOSTDOWN;
        } else if (m.contains("no route to host") || m.contains("host is unreachable")) {
            return WSAEHOSTUNREACH;
        } else if (m.contains("already in use")) {
            return WSAEADDRINUSE;
        } else if (m.contains("assign requested address") || m.contains("address not available")) {
            return WSAEADDRNOTAVAIL;
        } else if (m.contains("abort")) {
            return WSAECONNABORTED;
        } else if (m.contains("message too long")) {
            return WSAEMSGSIZE;
        } else if (m.contains("permission denied")) {
            return WSAEACCES;
        } else if (m.contains("address family") || m.contains("protocol not supported")) {
            return WSAEAFNOSUPPORT;
        } else if (m.contains("no buffer space")) {
            return WSAENOBUFS;
        } else if (m.contains("too many open files")) {
            return WSAEMFILE;
        }
        return 0;
    }

    /** The exception family when the text said nothing recognisable. */
    private static int ofFamilyType(Throwable e) {
        if (e instanceof BindException) {
            return WSAEADDRINUSE;
        } else if (e instanceof NoRouteToHostException) {
            return WSAEHOSTUNREACH;
        } else if (e instanceof ConnectException) {
            return WSAECONNREFUSED;
        } else if (e instanceof SSLException) {
            return WSAECONNABORTED; // the local TLS layer ended the connection
        }
        return 0;
    }
}
