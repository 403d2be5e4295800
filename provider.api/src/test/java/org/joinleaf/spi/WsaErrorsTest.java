package org.joinleaf.spi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.joinleaf.api.WSAError;
import org.joinleaf.api.Winsock2;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * The one JDK-exception to Winsock-code mapping providers share (issue 12, deliverable 5; decisions 24 for
 * {@code ClosedChannelException}). Each row is a failure a provider meets and the code an application must see;
 * the fallback {@code WSAEPROVIDERFAILEDINIT} is never a right answer, so a row the mapping misses fails.
 */
@RunWith(Parameterized.class)
public class WsaErrorsTest {
    private static final int FALLBACK = Winsock2.WSAEPROVIDERFAILEDINIT;

    @Parameters(name = "{0} -> {2}")
    public static List<Object[]> table() {
        return Arrays.asList(
                row("ClosedChannelException", new ClosedChannelException(), Winsock2.WSAENETDOWN),
                row("AsynchronousCloseException", new AsynchronousCloseException(), Winsock2.WSAENETDOWN),
                row("ClosedByInterruptException", new ClosedByInterruptException(), Winsock2.WSAEINTR),
                row("AlreadyBoundException", new AlreadyBoundException(), Winsock2.WSAEINVAL),
                row("NotYetBoundException", new NotYetBoundException(), Winsock2.WSAEINVAL),
                row("NotYetConnectedException", new NotYetConnectedException(), Winsock2.WSAENOTCONN),
                row("AlreadyConnectedException", new AlreadyConnectedException(), Winsock2.WSAEISCONN),
                row("ConnectionPendingException", new ConnectionPendingException(), Winsock2.WSAEALREADY),
                row("BindException in use", new BindException("Address already in use"), Winsock2.WSAEADDRINUSE),
                row("BindException not local", new BindException("Cannot assign requested address"),
                        Winsock2.WSAEADDRNOTAVAIL),
                row("BindException privileged port", new BindException("Permission denied"), Winsock2.WSAEACCES),
                row("BindException without text", new BindException(), Winsock2.WSAEADDRINUSE),
                row("ConnectException", new ConnectException("Connection refused"), Winsock2.WSAECONNREFUSED),
                row("ConnectException without text", new ConnectException(), Winsock2.WSAECONNREFUSED),
                row("ConnectException timed out", new ConnectException("connection timed out after 5000 ms"),
                        Winsock2.WSAETIMEDOUT),
                row("NoRouteToHostException", new NoRouteToHostException("No route to host"),
                        Winsock2.WSAEHOSTUNREACH),
                row("NoRouteToHostException without text", new NoRouteToHostException(), Winsock2.WSAEHOSTUNREACH),
                row("network unreachable", new SocketException("Network is unreachable"), Winsock2.WSAENETUNREACH),
                row("network down", new SocketException("Network is down"), Winsock2.WSAENETDOWN),
                row("host down", new SocketException("Host is down"), Winsock2.WSAEHOSTDOWN),
                row("PortUnreachableException", new PortUnreachableException(), Winsock2.WSAECONNRESET),
                row("SocketTimeoutException", new SocketTimeoutException(), Winsock2.WSAETIMEDOUT),
                row("UnresolvedAddressException", new UnresolvedAddressException(), Winsock2.WSAEADDRNOTAVAIL),
                row("UnsupportedAddressTypeException", new UnsupportedAddressTypeException(),
                        Winsock2.WSAEAFNOSUPPORT),
                row("address family", new SocketException("Address family not supported by protocol"),
                        Winsock2.WSAEAFNOSUPPORT),
                row("connection reset", new IOException("Connection reset by peer"), Winsock2.WSAECONNRESET),
                row("broken pipe", new IOException("Broken pipe"), Winsock2.WSAECONNRESET),
                row("connection aborted", new SocketException("Software caused connection abort"),
                        Winsock2.WSAECONNABORTED),
                row("too many open files", new IOException("Too many open files"), Winsock2.WSAEMFILE),
                row("no buffer space", new SocketException("No buffer space available"), Winsock2.WSAENOBUFS),
                row("message too long", new SocketException("Message too long"), Winsock2.WSAEMSGSIZE),
                row("SSLException", new SSLException("Received fatal alert: bad_certificate"),
                        Winsock2.WSAECONNABORTED),
                row("SSLHandshakeException", new SSLHandshakeException("PKIX path building failed"),
                        Winsock2.WSAECONNABORTED),
                row("reason only in the cause", new IOException("join failed", new ConnectException("Connection refused")),
                        Winsock2.WSAECONNREFUSED),
                row("family outside, reason in the cause", new ConnectException("connect failed")
                        .initCause(new java.net.SocketException("Network is unreachable")), Winsock2.WSAENETUNREACH),
                row("unrecognised", new IOException("something else"), FALLBACK),
                row("unchecked, unrecognised", new IllegalStateException(), FALLBACK));
    }

    private static Object[] row(String name, Throwable failure, int code) {
        return new Object[] {name, failure, code};
    }

    private final Throwable failure;
    private final int expected;

    public WsaErrorsTest(String name, Throwable failure, int expected) {
        this.failure = failure;
        this.expected = expected;
    }

    @Test
    public void mapsToTheWinsockCode() {
        assertEquals(WSAError.describe(expected), WSAError.describe(WsaErrors.code(failure, FALLBACK)));
    }

    /** The exception carries the same code, and a message naming the attempt and the Winsock name. */
    @Test
    public void exceptionCarriesCodeAndAttempt() {
        WsaException e = WsaErrors.exception(failure, FALLBACK, "bind to 127.0.0.1:9");
        assertEquals(expected, e.code());
        assertTrue(e.getMessage(), e.getMessage().startsWith("bind to 127.0.0.1:9 failed ("));
        assertTrue(e.getMessage(), e.getMessage().contains(WSAError.describe(expected)));
    }
}
