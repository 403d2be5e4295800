package org.joinleaf.tcp.session;

import static org.junit.Assert.assertEquals;

import io.netty.channel.ConnectTimeoutException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import org.joinleaf.api.Winsock2;
import org.junit.Test;

/** §3 R15: connect failures map to the codes FD_CONNECT may carry; bind failures to R11's codes. */
public class ErrorCodesTest {

    @Test // R15, R22: refused, unreachable and timed-out connects
    public void connectFailures() {
        assertEquals(Winsock2.WSAECONNREFUSED, ErrorCodes.ofConnectFailure(new ConnectException("Connection refused")));
        assertEquals(Winsock2.WSAENETUNREACH, ErrorCodes.ofConnectFailure(new NoRouteToHostException("No route")));
        assertEquals(Winsock2.WSAENETUNREACH,
                ErrorCodes.ofConnectFailure(new SocketException("Network is unreachable")));
        assertEquals(Winsock2.WSAENETUNREACH, ErrorCodes.ofConnectFailure(
                new ConnectException("connect failed").initCause(new SocketException("Network is unreachable"))));
        assertEquals(Winsock2.WSAETIMEDOUT, ErrorCodes.ofConnectFailure(new ConnectTimeoutException("timed out")));
    }

    @Test // R11: address in use vs. not an address of this host
    public void bindFailures() {
        assertEquals(Winsock2.WSAEADDRINUSE, ErrorCodes.bindFailure(new BindException("Address already in use")));
        assertEquals(Winsock2.WSAEADDRNOTAVAIL,
                ErrorCodes.bindFailure(new BindException("Cannot assign requested address")));
        assertEquals(Winsock2.WSAEADDRINUSE, ErrorCodes.ofConnectFailure(new BindException("Address already in use")));
    }
}
