package org.joinleaf.runtime.defaultprovider;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.nio.channels.ClosedChannelException;
import org.junit.Test;

/** JDK socket exceptions map to the Winsock codes the SPI names (errors map to the exact code). */
public class WinsockErrorsTest {

    private static int code(IOException e) {
        return WinsockErrors.code(e, WSASYSCALLFAILURE);
    }

    @Test
    public void linuxMessagesMapToWinsockCodes() {
        assertEquals(WSAECONNREFUSED, code(new ConnectException("Connection refused")));
        assertEquals(WSAECONNRESET, code(new IOException("Connection reset by peer")));
        assertEquals(WSAECONNRESET, code(new IOException("Broken pipe")));
        assertEquals(WSAETIMEDOUT, code(new ConnectException("Connection timed out")));
        assertEquals(WSAENETUNREACH, code(new ConnectException("Network is unreachable")));
        assertEquals(WSAEHOSTUNREACH, code(new NoRouteToHostException("No route to host")));
        assertEquals(WSAEADDRINUSE, code(new BindException("Address already in use")));
        assertEquals(WSAEADDRNOTAVAIL, code(new BindException("Cannot assign requested address")));
        assertEquals(WSAECONNABORTED, code(new IOException("Software caused connection abort")));
        assertEquals(WSAEMSGSIZE, code(new IOException("Message too long")));
        assertEquals(WSAEACCES, code(new IOException("Permission denied")));
        assertEquals(WSAENOTSOCK, code(new ClosedChannelException()));
        assertEquals(WSAECONNRESET, code(new PortUnreachableException()));
    }

    @Test
    public void unknownReasonsGetTheFallbackAndAReadableMessage() {
        IOException odd = new IOException("Something new");
        assertEquals(WSASYSCALLFAILURE, code(odd));
        String message = WinsockErrors.message(odd, WSAECONNABORTED, "receive");
        assertTrue(message, message.startsWith("receive failed (") && message.contains("Something new"));
    }
}
