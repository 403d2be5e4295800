package org.joinleaf.multicast;

import static org.joinleaf.api.Winsock2.AF_INET;
import static org.joinleaf.api.Winsock2.FD_READ_BIT;
import static org.joinleaf.api.Winsock2.IPPROTO_IP;
import static org.joinleaf.api.Winsock2.IP_MULTICAST_LOOP;
import static org.joinleaf.api.Winsock2.JL_BOTH;
import static org.joinleaf.api.Winsock2.JL_RECEIVER_ONLY;
import static org.joinleaf.api.Winsock2.SIO_MULTIPOINT_LOOPBACK;
import static org.joinleaf.api.Winsock2.SOL_SOCKET;
import static org.joinleaf.api.Winsock2.SO_RCVBUF;
import static org.joinleaf.api.Winsock2.SO_REUSEADDR;
import static org.joinleaf.api.Winsock2.WSAEADDRINUSE;
import static org.joinleaf.api.Winsock2.WSAEADDRNOTAVAIL;
import static org.joinleaf.api.Winsock2.WSAEINVAL;
import static org.joinleaf.api.Winsock2.WSAENOPROTOOPT;
import static org.joinleaf.api.Winsock2.WSAENOTCONN;
import static org.joinleaf.api.Winsock2.WSAEWOULDBLOCK;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.spi.ConnectRequest;
import org.joinleaf.spi.WsaException;
import org.joinleaf.spi.testkit.PythonPeer;
import org.joinleaf.spi.testkit.RecordingCompletion;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.junit.After;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Test;

/**
 * Issue 13, deliverable 2: programs ported from Winsock behave as on Windows. Every datagram stays on lo with TTL 0
 * and 239.255.x.y groups ({@link Loopback}).
 */
public class WindowsBehaviourTest {
    private static final int SENDERS = 100;

    private MulticastProvider provider;
    private SOCKADDR group;

    @Before
    public void start() throws Exception {
        Loopback.assumeIpv4();
        provider = Loopback.provider();
        group = Loopback.group4();
    }

    @After
    public void stop() {
        if (provider != null) {
            provider.deactivate();
        }
    }

    @Test
    public void issue13_bindToInterfaceAddressThenJoinReceives() throws Exception {
        RecordingUpcalls events = new RecordingUpcalls();
        LeafSocket receiver = socket(events);
        receiver.bind(SOCKADDR.of("127.0.0.1", group.port));
        Loopback.join(receiver, group, JL_RECEIVER_ONLY);

        try (DatagramChannel sender = ReceiveBudgetTest.loopbackSender()) {
            sender.send(text("to the group"), group.toInetSocketAddress());
        }

        assertTrue("a member bound to 127.0.0.1 receives the group", events.await(FD_READ_BIT, Loopback.WAIT_MILLIS));
        assertEquals("to the group", receive(receiver));
        assertEquals(SOCKADDR.of("127.0.0.1", group.port), receiver.localAddress());
    }

    // Windows drops on the receive path every multicast datagram from this host when loopback is off, whichever
    // socket sent it: a plain JDK socket and a provider socket, each closing right after its one datagram.
    @Test
    public void issue13_loopbackOffDropsEveryDatagramFromALocalSourceWithoutRaces() throws Exception {
        RecordingUpcalls offEvents = new RecordingUpcalls();
        RecordingUpcalls onEvents = new RecordingUpcalls();
        LeafSocket off = member(offEvents);
        LeafSocket offByOption = member(new RecordingUpcalls());
        LeafSocket on = member(onEvents);
        off.ioctl(SIO_MULTIPOINT_LOOPBACK, Boolean.FALSE, null);
        offByOption.setOption(IPPROTO_IP, IP_MULTICAST_LOOP, Boolean.FALSE);

        for (int i = 0; i < SENDERS; i++) {
            if (i % 2 == 0) {
                try (DatagramChannel sender = ReceiveBudgetTest.loopbackSender()) {
                    sender.send(text("plain " + i), group.toInetSocketAddress());
                }
            } else {
                LeafSocket sender = socket(new RecordingUpcalls());
                sender.send(text("provider " + i), group); // implicit bind at the first send, then closed
                sender.close();
            }
            assertTrue("the member with loopback on got datagram " + i,
                    onEvents.await(FD_READ_BIT, Loopback.WAIT_MILLIS));
            receive(on);
        }

        assertTrue(Loopback.eventually(() -> off.filteredDatagrams() == SENDERS
                && offByOption.filteredDatagrams() == SENDERS));
        assertEquals("nothing from this host leaked through", 0, offEvents.posted(FD_READ_BIT));
        assertEquals(0, off.available());
        assertEquals(0, offByOption.available());
    }

    // The same rule for a sender in another process and language: python3 on this host.
    @Test
    public void issue13_loopbackOffDropsAnotherProcessesDatagramsAndLoopbackOnReceivesThem() throws Exception {
        PythonPeer.assumePython();
        RecordingUpcalls offEvents = new RecordingUpcalls();
        LeafSocket off = member(offEvents);
        LeafSocket on = member(new RecordingUpcalls());
        off.ioctl(SIO_MULTIPOINT_LOOPBACK, Boolean.FALSE, null);
        String script = String.join("\n",
                "import socket, sys",
                "g, p = sys.argv[1], int(sys.argv[2])",
                "for i in range(10):",
                "    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
                "    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton('127.0.0.1'))",
                "    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 0)",
                "    s.sendto(b'python', (g, p))",
                "    s.close()",
                "print('sent', flush=True)");
        try (PythonPeer python = PythonPeer.start(script,
                group.toInetSocketAddress().getAddress().getHostAddress(), String.valueOf(group.port))) {
            assertEquals("sent", python.nextLine(Loopback.WAIT_MILLIS));
            for (int i = 0; i < 10; i++) {
                assertTrue("loopback on receives python's datagram " + i,
                        Loopback.eventually(() -> on.available() > 0));
                assertEquals("python", receive(on));
            }
        }
        assertTrue(Loopback.eventually(() -> off.filteredDatagrams() == 10));
        assertEquals(0, offEvents.posted(FD_READ_BIT));
    }

    // Windows since Server 2003: one address and port is shared only when both sockets set SO_REUSEADDR; a specific
    // address beside the wildcard on the same port is another address.
    @Test
    public void issue13_withoutSoReuseaddrOnBothASecondBindOfTheAddressIsWsaeaddrinuse() throws Exception {
        for (SOCKADDR address : new SOCKADDR[] {SOCKADDR.any(AF_INET, group.port),
                SOCKADDR.of("127.0.0.1", group.port)}) {
            LeafSocket first = socket(new RecordingUpcalls());
            first.bind(address);
            LeafSocket second = socket(new RecordingUpcalls());
            expect(WSAEADDRINUSE, () -> second.bind(address));
            second.setOption(SOL_SOCKET, SO_REUSEADDR, Boolean.TRUE);
            expect(WSAEADDRINUSE, () -> second.bind(address)); // the first did not allow sharing
            first.close();
            second.bind(address); // closing freed it
            second.close();
        }
        LeafSocket wildcard = socket(new RecordingUpcalls());
        wildcard.bind(SOCKADDR.any(AF_INET, group.port));
        socket(new RecordingUpcalls()).bind(SOCKADDR.of("127.0.0.1", group.port));
    }

    @Test
    public void issue13_bindingAGroupAddressIsWsaeaddrnotavail() throws Exception {
        LeafSocket s = socket(new RecordingUpcalls());
        expect(WSAEADDRNOTAVAIL, () -> s.bind(group));
        assertNull("still unbound", s.localAddress());
    }

    @Test
    public void issue13_soReuseaddrLetsTwoSocketsShareAPortAndBothReceive() throws Exception {
        RecordingUpcalls aEvents = new RecordingUpcalls();
        RecordingUpcalls bEvents = new RecordingUpcalls();
        LeafSocket a = socket(aEvents);
        LeafSocket b = socket(bEvents);
        a.setOption(SOL_SOCKET, SO_REUSEADDR, Boolean.TRUE);
        a.bind(SOCKADDR.any(AF_INET, group.port));
        b.setOption(SOL_SOCKET, SO_REUSEADDR, Boolean.TRUE);
        b.bind(SOCKADDR.any(AF_INET, group.port));
        Loopback.join(a, group, JL_RECEIVER_ONLY);
        Loopback.join(b, group, JL_RECEIVER_ONLY);

        try (DatagramChannel sender = ReceiveBudgetTest.loopbackSender()) {
            sender.send(text("both"), group.toInetSocketAddress());
        }
        assertTrue(aEvents.await(FD_READ_BIT, Loopback.WAIT_MILLIS));
        assertTrue(bEvents.await(FD_READ_BIT, Loopback.WAIT_MILLIS));
        assertEquals("both", receive(a));
        assertEquals("both", receive(b));
    }

    // Winsock: connect on a datagram socket sets the default destination, a second connect changes it, AF_UNSPEC
    // clears it; WSAEISCONN is for connection-oriented sockets only.
    @Test
    public void issue13_connectSetsChangesAndClearsTheDefaultDestination() throws Exception {
        SOCKADDR other = otherGroup();
        RecordingUpcalls firstEvents = new RecordingUpcalls();
        RecordingUpcalls otherEvents = new RecordingUpcalls();
        LeafSocket first = member(firstEvents);
        LeafSocket second = socket(otherEvents);
        Loopback.join(second, other, JL_RECEIVER_ONLY);
        LeafSocket sender = socket(new RecordingUpcalls());

        expect(WSAENOTCONN, () -> sender.send(text("nowhere"), null));
        connect(sender, group);
        sender.send(text("one"), null);
        assertTrue(firstEvents.await(FD_READ_BIT, Loopback.WAIT_MILLIS));
        assertEquals("one", receive(first));
        assertEquals(group, sender.peerAddress());

        connect(sender, other);
        sender.send(text("two"), null);
        assertTrue("a second connect changed the destination", otherEvents.await(FD_READ_BIT, Loopback.WAIT_MILLIS));
        assertEquals("two", receive(second));

        connect(sender, new SOCKADDR());
        expect(WSAENOTCONN, () -> sender.send(text("cleared"), null));
        assertNull(sender.peerAddress());
    }

    @Test
    public void issue13_connectAfterJoinLeafChangesTheDefaultDestination() throws Exception {
        SOCKADDR other = otherGroup();
        RecordingUpcalls otherEvents = new RecordingUpcalls();
        LeafSocket receiver = socket(otherEvents);
        Loopback.join(receiver, other, JL_RECEIVER_ONLY);
        RecordingUpcalls joinedEvents = new RecordingUpcalls();
        LeafSocket joined = member(joinedEvents);

        connect(joined, other);
        joined.send(text("redirected"), null);
        assertTrue(otherEvents.await(FD_READ_BIT, Loopback.WAIT_MILLIS));
        assertEquals("redirected", receive(receiver));

        connect(joined, SOCKADDR.any(AF_INET, 0));
        joined.send(text("home"), null);
        assertTrue("cleared: send goes to the joined group again", joinedEvents.await(FD_READ_BIT, Loopback.WAIT_MILLIS));
        assertEquals("home", receive(joined));
    }

    @Test
    public void issue13_providerLeftOnLoopbackWarnsNamingTheOtherInterfacesAndTheSetting() {
        String warning = MulticastInterface.loopbackWarning("lo", List.of("eth0", "wlan0"));
        assertNotNull(warning);
        for (String part : new String[] {"lo", "eth0", "wlan0", "interfaceName", MulticastConfig.PID}) {
            assertTrue(warning + " names " + part, warning.contains(part));
        }
        assertNull("nothing to say on a host with loopback only", MulticastInterface.loopbackWarning("lo", List.of()));
    }

    @Test
    public void issue13_providerLeftOnLoopbackSaysSoOnceAtActivation() throws Exception {
        List<String> others = new ArrayList<>();
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isLoopback() && ni.isUp() && ni.supportsMulticast()) {
                others.add(ni.getName());
            }
        }
        Assume.assumeFalse("this host has no interface but loopback: nothing to warn about", others.isEmpty());
        Logger logger = Logger.getLogger(MulticastInterface.class.getName());
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel() == Level.WARNING) {
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
        logger.addHandler(handler);
        try {
            Loopback.provider().deactivate();
        } finally {
            logger.removeHandler(handler);
        }
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).getMessage(), warnings.get(0).getMessage().contains(others.get(0)));
    }

    @Test
    public void issue13_socketReceiveBufferIsSettableAndKernelDropsAreCounted() throws Exception {
        Assume.assumeTrue("kernel drops are read from /proc/net/udp (Linux)", Files.isReadable(Path.of("/proc/net/udp")));
        provider.deactivate();
        provider = Loopback.provider(Map.of("socketReceiveBufferBytes", 4096));
        RecordingUpcalls events = new RecordingUpcalls();
        LeafSocket member = member(events);
        int applied = member.appliedReceiveBuffer();
        assertTrue("socketReceiveBufferBytes 4096 applied (Linux doubles it): " + applied,
                applied >= 4096 && applied <= 2 * 4096);

        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        provider.loop().injectFaults(new SelectorLoop.Faults() {
            @Override
            public void afterReceive() {
                stalled.countDown();
                try {
                    release.await(Loopback.WAIT_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        int sent = 0;
        try (DatagramChannel sender = ReceiveBudgetTest.loopbackSender()) {
            sender.send(ByteBuffer.allocate(1000), group.toInetSocketAddress());
            sent++;
            assertTrue("the I/O thread read the first datagram", stalled.await(Loopback.WAIT_MILLIS,
                    TimeUnit.MILLISECONDS));
            for (int i = 0; i < 100; i++) { // a 8 KiB buffer holds a few of these; the kernel drops the rest
                sender.send(ByteBuffer.allocate(1000), group.toInetSocketAddress());
                sent++;
            }
        } finally {
            provider.loop().injectFaults(new SelectorLoop.Faults() {
            });
            release.countDown();
        }
        int total = sent;
        int[] queued = {0}; // FD_READ is posted once per read visit, not per datagram: count what was queued
        assertTrue("every datagram was queued or counted as a kernel drop", Loopback.eventually(() -> {
            queued[0] += drain(member);
            return queued[0] + provider.droppedDatagrams(DropReason.KERNEL_RECEIVE_BUFFER) == total;
        }));
        assertTrue("the kernel dropped some", provider.droppedDatagrams(DropReason.KERNEL_RECEIVE_BUFFER) > 0);

        member.setOption(SOL_SOCKET, SO_RCVBUF, 65536);
        assertTrue("setsockopt(SO_RCVBUF) reaches the receiving channel", member.appliedReceiveBuffer() >= 65536);
    }

    @Test
    public void issue13_unknownOptionIsWsaenoprotooptAndAWrongValueWsaeinval() throws Exception {
        LeafSocket s = socket(new RecordingUpcalls());
        expect(WSAENOPROTOOPT, () -> s.setOption(SOL_SOCKET, 0x7777, 1));
        expect(WSAEINVAL, () -> s.setOption(SOL_SOCKET, SO_REUSEADDR, 1));
        expect(WSAEINVAL, () -> s.setOption(SOL_SOCKET, SO_RCVBUF, -1));
    }

    private interface Call {
        void run() throws WsaException;
    }

    private static void expect(int code, Call call) {
        try {
            call.run();
            fail("expected Winsock error " + code);
        } catch (WsaException e) {
            assertEquals(e.getMessage(), code, e.code());
        }
    }

    private SOCKADDR otherGroup() {
        SOCKADDR other;
        do {
            other = Loopback.group4();
        } while (other.port == group.port);
        return other;
    }

    private static void connect(LeafSocket s, SOCKADDR to) throws Exception {
        RecordingCompletion completion = new RecordingCompletion();
        s.connect(new ConnectRequest(to, null, 0, null, JL_BOTH, null), completion);
        assertTrue("connect completed: " + completion.message(), completion.connected());
    }

    private LeafSocket member(RecordingUpcalls events) throws Exception {
        LeafSocket s = socket(events);
        Loopback.join(s, group, JL_BOTH);
        return s;
    }

    private LeafSocket socket(RecordingUpcalls events) throws Exception {
        return Loopback.socket(provider, AF_INET, events);
    }

    private static String receive(LeafSocket s) throws WsaException {
        ByteBuffer buf = ByteBuffer.allocate(2000);
        try {
            int n = s.receive(buf, null, false);
            return new String(buf.array(), 0, n, StandardCharsets.US_ASCII);
        } catch (WsaException e) {
            if (e.code() == WSAEWOULDBLOCK) {
                fail("nothing queued");
            }
            throw e;
        }
    }

    /** Receives until nothing is queued; the number of datagrams taken. */
    private static int drain(LeafSocket s) {
        int n = 0;
        try {
            while (true) {
                s.receive(ByteBuffer.allocate(2000), null, false);
                n++;
            }
        } catch (WsaException e) {
            assertEquals(WSAEWOULDBLOCK, e.code());
            return n;
        }
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }
}
