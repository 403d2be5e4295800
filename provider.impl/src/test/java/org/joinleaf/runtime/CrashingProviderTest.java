package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.joinleaf.api.LPCONDITIONPROC;
import org.joinleaf.api.QOS;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSAEVENT;
import org.joinleaf.api.WSANETWORKEVENTS;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * decisions 16, the error boundary: no exception from a provider ever reaches the application. Against a provider
 * whose every SPI method throws (an unchecked exception, an Error, an OutOfMemoryError), every API call answers as
 * the API says (SOCKET_ERROR, INVALID_SOCKET, false) with {@code WSASYSCALLFAILURE} and a message naming the
 * provider; the socket and the process stay usable, and a second call does not answer differently (a connect that
 * threw is not "already in progress").
 */
@RunWith(Parameterized.class)
public class CrashingProviderTest extends ScriptedRuntimeTest {
    private static final SOCKADDR PEER = SOCKADDR.of("127.0.0.1", 6000);
    private static final int CROOT = WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_ROOT;

    @Parameters(name = "{0}")
    public static Collection<Object[]> faults() {
        return Arrays.asList(new Object[][] {
            {"RuntimeException", (Supplier<Throwable>) () -> new IllegalStateException("provider bug")},
            {"Error", (Supplier<Throwable>) () -> new LinkageError("provider bug")},
            {"OutOfMemoryError", (Supplier<Throwable>) () -> new OutOfMemoryError("provider bug")},
        });
    }

    private final Supplier<Throwable> fault;
    private ThrowingProvider crashing;

    public CrashingProviderTest(String name, Supplier<Throwable> fault) {
        this.fault = fault;
    }

    @Before
    public void addCrashingProvider() {
        crashing = new ThrowingProvider(fault);
        catalog.add(crashing, "P-throw", 0, 9L);
    }

    private void assertSysCallFailure(int result) {
        assertFails(WSASYSCALLFAILURE, result);
        assertTrue("the message names the provider: " + ws.WSAGetLastErrorMessage(),
                ws.WSAGetLastErrorMessage().contains("P-throw"));
    }

    private void assertSysCallFailure(SOCKET result) {
        assertFails(WSASYSCALLFAILURE, result);
        assertTrue(ws.WSAGetLastErrorMessage().contains("P-throw"));
    }

    private SOCKET crashingSocket(int flags) {
        crashing.socketsWork = true;
        return socket(AF_INET, ThrowingProvider.TYPE, 0, flags);
    }

    @Test
    public void socketCreationThatThrowsIsInvalidSocket() {
        assertSysCallFailure(ws.WSASocket(AF_INET, ThrowingProvider.TYPE, 0, null, 0, LEAF));
        assertEquals(0, ws.socketCount());
    }

    @Test
    public void everyCallOnASocketWhoseProviderThrowsFailsWithSysCallFailure() {
        SOCKET s = crashingSocket(LEAF);
        byte[] buf = new byte[8];
        SOCKADDR local = SOCKADDR.of("127.0.0.1", 0);
        for (int round = 0; round < 2; round++) { // the second round: no call answers differently after a throw
            assertSysCallFailure(ws.bind(s, local, IN_LEN));
            assertSysCallFailure(ws.listen(s, 1));
            assertSysCallFailure(ws.accept(s, null, null));
            assertSysCallFailure(ws.WSAConnect(s, PEER, IN_LEN, null, null, null, null));
            assertSysCallFailure(ws.WSAJoinLeaf(s, PEER, IN_LEN, null, null, null, null, JL_BOTH));
            assertSysCallFailure(ws.send(s, buf, 1, 0));
            assertSysCallFailure(ws.sendto(s, buf, 1, 0, PEER, IN_LEN));
            assertSysCallFailure(ws.recv(s, buf, buf.length, 0));
            assertSysCallFailure(ws.recvfrom(s, buf, buf.length, 0, new SOCKADDR(), new int[] {IN_LEN}));
            assertSysCallFailure(ws.ioctlsocket(s, FIONREAD, new int[1]));
            assertSysCallFailure(ws.WSAIoctl(s, SIO_MULTIPOINT_LOOPBACK, new int[] {0}, 4, null, 0, new int[1]));
            assertSysCallFailure(ws.WSAIoctl(s, SIO_MULTICAST_SCOPE, new int[] {1}, 4, null, 0, new int[1]));
            assertSysCallFailure(ws.WSAIoctl(s, SIO_SET_QOS, new QOS(), QOS.SIZE, null, 0, new int[1]));
            assertSysCallFailure(ws.WSAIoctl(s, SIO_GET_QOS, null, 0, new QOS(), QOS.SIZE, new int[1]));
            assertSysCallFailure(ws.WSAIoctl(s, FIONREAD, null, 0, new int[1], 4, new int[1]));
            assertSysCallFailure(ws.shutdown(s, SD_BOTH));
            assertSysCallFailure(ws.getsockname(s, new SOCKADDR(), new int[] {IN_LEN}));
            assertSysCallFailure(ws.getpeername(s, new SOCKADDR(), new int[] {IN_LEN}));
        }
        // the socket stays usable for every call that needs no provider
        assertOk(ws.ioctlsocket(s, FIONBIO, new int[] {1}));
        WSAPROTOCOL_INFO info = new WSAPROTOCOL_INFO();
        assertOk(ws.getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFO, info, new int[] {WSAPROTOCOL_INFO.SIZE}));
        assertEquals("P-throw", info.szProtocol);
        WSAEVENT e = ws.WSACreateEvent();
        assertSysCallFailure(ws.WSAEventSelect(s, e, FD_READ)); // the standing conditions ask the provider
        assertOk(ws.WSAEnumNetworkEvents(s, e, new WSANETWORKEVENTS()));
        // closing succeeds (the descriptor is gone) although the provider's close throws
        assertOk(ws.closesocket(s));
        assertFails(WSAENOTSOCK, ws.send(s, buf, 1, 0));
        assertProcessStillWorks();
    }

    @Test
    public void eachCrashIsOneWarningLine() {
        SOCKET s = crashingSocket(LEAF);
        Logger log = Logger.getLogger(ErrorBoundary.class.getName());
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(capture);
        try {
            assertSysCallFailure(ws.bind(s, SOCKADDR.of("127.0.0.1", 0), IN_LEN));
        } finally {
            log.removeHandler(capture);
        }
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).getMessage().contains("P-throw"));
        assertTrue("one line: " + warnings.get(0).getMessage(), !warnings.get(0).getMessage().contains("\n"));
        assertEquals("no stack trace at WARNING", null, warnings.get(0).getThrown());
    }

    @Test
    public void rootJoinThatThrowsLeavesNoDescriptorAndNoInvitation() {
        SOCKET root = crashingSocket(CROOT);
        int before = ws.socketCount();
        assertSysCallFailure(ws.WSAJoinLeaf(root, PEER, IN_LEN, null, null, null, null, JL_BOTH));
        assertEquals("no half-made c_leaf is left", before, ws.socketCount());
        assertSysCallFailure(ws.WSAJoinLeaf(root, PEER, IN_LEN, null, null, null, null, JL_BOTH)); // not WSAEALREADY
        assertProcessStillWorks();
    }

    @Test
    public void acceptOfARequestThatThrowsLeavesNoDescriptor() {
        SOCKET s = crashingSocket(CROOT);
        crashing.listening = true;
        int before = ws.socketCount();
        assertSysCallFailure(ws.accept(s, null, null)); // request.accept throws
        LPCONDITIONPROC condition = (a, b, c, d, e, f, g, h) -> CF_ACCEPT;
        assertSysCallFailure(ws.WSAAccept(s, new SOCKADDR(), new int[] {IN_LEN}, condition, 0)); // caller data throws
        assertEquals(before, ws.socketCount());
        assertProcessStillWorks();
    }

    @Test
    public void cleanupAndEventCallsNeverThrowEither() {
        crashingSocket(LEAF);
        crashingSocket(CROOT);
        WSAEVENT e = ws.WSACreateEvent();
        assertTrue(ws.WSASetEvent(e));
        assertOk(ws.WSACleanup()); // closes both transports, each close throws
        assertEquals(0, ws.socketCount());
        assertFalse(ws.WSASetEvent(null));
        assertLastError(WSANOTINITIALISED);
    }

    /** A socket of a healthy provider in the same process still sends. */
    private void assertProcessStillWorks() {
        SOCKET healthy = npLeaf();
        assertNotSame(SOCKET.INVALID_SOCKET, healthy);
        assertEquals(3, ws.send(healthy, new byte[] {1, 2, 3}, 3, 0));
        assertEquals(1, np.lastSocket().sent().size());
    }
}
