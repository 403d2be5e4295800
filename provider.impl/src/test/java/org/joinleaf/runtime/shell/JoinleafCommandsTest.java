package org.joinleaf.runtime.shell;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.joinleaf.api.LPCONDITIONPROC;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSABUF;
import org.joinleaf.api.Winsock;
import org.joinleaf.runtime.ProviderCatalog;
import org.junit.After;
import org.junit.Test;

/**
 * Issue 15 item 6, the shell as an operator drives it: an async join that reports the member and callee data when
 * it ends, accept showing caller data and answering callee data, every Winsock socket type (seqpacket for rooted
 * in-JVM sessions), handles in the log's hex form. The commands are POJOs over a scripted {@link Winsock}.
 */
public class JoinleafCommandsTest {
    private static final long WAIT_SECONDS = 10; // generous: the machine is shared; never a timing assertion

    /** Each Winsock method the test scripts, by name; the others answer 0 / null / "". */
    private final Map<String, Function<Object[], Object>> script = new HashMap<>();
    private final BlockingQueue<String> console = new LinkedBlockingQueue<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final JoinleafCommands commands = new JoinleafCommands(new ProviderCatalog(), scriptedWinsock(),
            console::add);

    @After
    public void stop() {
        release.countDown();
        commands.deactivate();
    }

    // issue 15 item 6: "socket ... seqpacket is refused, so rooted in-JVM sessions cannot be made"
    @Test
    public void socket_takesEveryWinsockTypeSeqpacketIncluded() {
        int[] asked = new int[3];
        script.put("WSASocket", a -> {
            asked[0] = (int) a[0];
            asked[1] = (int) a[1];
            asked[2] = (int) a[5];
            return SOCKET.of(0x104);
        });
        assertEquals("socket 0x104", commands.socket("inet", "seqpacket", "root"));
        assertEquals(AF_INET, asked[0]);
        assertEquals(SOCK_SEQPACKET, asked[1]);
        assertEquals(WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_ROOT, asked[2]);
        assertEquals(SOCK_RDM, Args.type("SOCK_RDM"));
        assertEquals(SOCK_RAW, Args.type("raw"));
        assertEquals(SOCK_DGRAM, Args.type("dgram"));
        assertEquals(AF_INET6, Args.family("AF_INET6"));
    }

    @Test
    public void socket_unknownTypeNamesWhatIsAccepted() {
        try {
            Args.type("packet");
            throw new AssertionError("accepted an unknown type");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("seqpacket"));
        }
    }

    // issue 15 item 6: one handle format in shell and log (HandleText, used by the Acceptor's log lines too)
    @Test
    public void handles_printInHexAndParseInHexOrDecimal() {
        assertEquals(0x104, Args.handle("0x104"));
        assertEquals(0x104, Args.handle("260"));
        assertEquals("no open socket 0x104", commands.session("0x104"));
        script.put("closesocket", a -> 0);
        assertEquals("closed 0x104", commands.close("0x104"));
        try {
            Args.handle("socket");
            throw new AssertionError("accepted a handle that is no number");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("0x104"));
        }
    }

    // issue 15 item 6: "joinleaf:join blocks the shell (no async form)"
    @Test
    public void joinasync_returnsAtOnceThenPrintsTheMemberAndCalleeData() throws Exception {
        byte[][] callerData = new byte[1][];
        script.put("WSAJoinLeaf", a -> {
            callerData[0] = ((WSABUF) a[3]).toBytes();
            await(release);
            WSABUF callee = (WSABUF) a[4];
            byte[] welcome = "welcome".getBytes(StandardCharsets.UTF_8);
            System.arraycopy(welcome, 0, callee.buf, 0, welcome.length);
            callee.len = welcome.length;
            return SOCKET.of(0x10c);
        });
        String started = commands.joinasync("0x104", "127.0.0.1:7000", "hello", "root");
        assertEquals("join 1 (socket 0x104 to 127.0.0.1:7000) started; its outcome is printed when it ends", started);
        assertNull("nothing to report while the join is under way", console.poll());
        release.countDown();
        String done = console.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals("joinleaf: join 1 (socket 0x104 to 127.0.0.1:7000): joined 127.0.0.1:7000 as socket 0x10c;"
                + " callee data 'welcome'", done);
        assertEquals("hello root", new String(callerData[0], StandardCharsets.UTF_8));
        assertTrue(commands.jobs(),
                commands.jobs().endsWith("joined 127.0.0.1:7000 as socket 0x10c; callee data 'welcome'"));
    }

    @Test
    public void joinasync_aFailedJoinReportsItsWinsockCode() throws Exception {
        script.put("WSAJoinLeaf", a -> SOCKET.INVALID_SOCKET);
        script.put("WSAGetLastError", a -> WSAECONNREFUSED);
        script.put("WSAGetLastErrorMessage", a -> "the root refused the join");
        commands.joinasync("0x104", "127.0.0.1:7000");
        String done = console.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull("no outcome reported", done);
        assertTrue(done, done.contains("WSAJoinLeaf failed: WSAECONNREFUSED"));
        assertTrue(done, done.endsWith("the root refused the join"));
    }

    // a limit is real only when a test attacks it: one join more than MAX_RUNNING is refused, not queued
    @Test
    public void joinasync_atMostMaxRunningAtOnce() throws Exception {
        CountDownLatch allIn = new CountDownLatch(AsyncJoins.MAX_RUNNING);
        script.put("WSAJoinLeaf", a -> {
            allIn.countDown();
            await(release);
            return SOCKET.INVALID_SOCKET;
        });
        for (int i = 0; i < AsyncJoins.MAX_RUNNING; i++) {
            assertTrue(commands.joinasync("0x104", "127.0.0.1:7000").contains("started"));
        }
        assertTrue("the joins did not all start", allIn.await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals("refused: 4 async joins are under way; wait for one to end",
                commands.joinasync("0x104", "127.0.0.1:7000"));
        release.countDown();
        for (int i = 0; i < AsyncJoins.MAX_RUNNING; i++) {
            assertNotNull("join " + i + " never reported", console.poll(WAIT_SECONDS, TimeUnit.SECONDS));
        }
    }

    // issue 15 item 6: "joinleaf:accept neither shows caller data nor can answer callee data"
    @Test
    public void accept_showsCallerDataAndAnswersCalleeData() {
        WSABUF callee = WSABUF.allocate(16);
        acceptWith("hello", callee);
        assertEquals("accepted 127.0.0.1:5000 as socket 0x110; caller data 'hello'; answered callee data 'ok there'",
                commands.accept("0x104", "ok", "there").replaceFirst("accepted .* as", "accepted 127.0.0.1:5000 as"));
        assertEquals("ok there", new String(callee.toBytes(), StandardCharsets.UTF_8));
    }

    @Test
    public void accept_cutsTheAnswerToWhatTheProviderCarriesAndSaysSo() {
        WSABUF small = WSABUF.allocate(2);
        acceptWith(null, small);
        String out = commands.accept("0x104", "okay");
        assertTrue(out, out.endsWith("caller data (none); answered callee data 'ok' (cut to the 2 bytes the provider"
                + " carries)"));
        acceptWith(null, new WSABUF(0, new byte[0]));
        out = commands.accept("0x104", "okay");
        assertTrue(out, out.endsWith("; callee data not sent: this provider carries none"));
    }

    /** WSAAccept runs the shell's condition function on a request carrying {@code caller} data; CF_ACCEPT only. */
    private void acceptWith(String caller, WSABUF callee) {
        script.put("ioctlsocket", a -> 0);
        script.put("WSAAccept", a -> {
            WSABUF data = caller == null ? null : WSABUF.of(caller.getBytes(StandardCharsets.UTF_8));
            int verdict = ((LPCONDITIONPROC) a[3]).apply(new WSABUF(), data, null, null, new WSABUF(), callee,
                    new int[1], 0);
            return verdict == CF_ACCEPT ? SOCKET.of(0x110) : SOCKET.INVALID_SOCKET;
        });
    }

    private Winsock scriptedWinsock() {
        return (Winsock) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Winsock.class},
                (proxy, method, args) -> {
                    Function<Object[], Object> f = script.get(method.getName());
                    if (f != null) {
                        return f.apply(args);
                    }
                    Class<?> r = method.getReturnType();
                    return r == int.class ? 0 : r == String.class ? "" : r == boolean.class ? false
                            : r == long.class ? 0L : null;
                });
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the join");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
