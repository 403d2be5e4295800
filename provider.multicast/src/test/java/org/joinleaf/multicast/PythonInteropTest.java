package org.joinleaf.multicast;

import static org.joinleaf.api.Winsock2.AF_INET;
import static org.joinleaf.api.Winsock2.FD_READ_BIT;
import static org.joinleaf.api.Winsock2.JL_RECEIVER_ONLY;
import static org.joinleaf.api.Winsock2.JL_SENDER_ONLY;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.spi.testkit.PythonPeer;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Issue 4 item 5: a joinleaf member and an ordinary multicast program ({@code python3}'s socket module) exchange
 * datagrams through a group, both ways, over the loopback interface with TTL 0.
 */
public class PythonInteropTest {
    /** Sends one datagram to the group via 127.0.0.1 with TTL 0 and prints its source port. */
    private static final String PYTHON_SENDER = String.join("\n",
            "import socket, sys",
            "g, p = sys.argv[1], int(sys.argv[2])",
            "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
            "s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton('127.0.0.1'))",
            "s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 0)",
            "s.bind(('127.0.0.1', 0))",
            "s.sendto(b'hello from python', (g, p))",
            "print('sent', s.getsockname()[1], flush=True)");

    /** Joins the group on 127.0.0.1, says ready, prints the first datagram and its sender (5 s limit). */
    private static final String PYTHON_RECEIVER = String.join("\n",
            "import socket, sys",
            "g, p = sys.argv[1], int(sys.argv[2])",
            "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
            "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
            "s.bind(('', p))",
            "s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,"
                    + " socket.inet_aton(g) + socket.inet_aton('127.0.0.1'))",
            "s.settimeout(5)",
            "print('ready', flush=True)",
            "data, addr = s.recvfrom(65535)",
            "print('got', addr[0], addr[1], data.decode(), flush=True)");

    private MulticastProvider provider;
    private SOCKADDR group;

    @Before
    public void start() throws Exception {
        PythonPeer.assumePython();
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

    // Issue 4 items 3 and 5: python sends, a JL_RECEIVER_ONLY member receives it and recvfrom names python's socket.
    @Test
    public void pythonSenderReachesJoinleafMember() throws Exception {
        RecordingUpcalls events = new RecordingUpcalls();
        LeafSocket member = Loopback.socket(provider, AF_INET, events);
        Loopback.join(member, group, JL_RECEIVER_ONLY);

        try (PythonPeer python = PythonPeer.start(PYTHON_SENDER, hostOf(group), String.valueOf(group.port))) {
            String line = python.nextLine(Loopback.WAIT_MILLIS);
            assertNotNull("python printed nothing", line);
            assertTrue("python failed: " + line, line.startsWith("sent "));
            int pythonPort = Integer.parseInt(line.substring(5).trim());

            assertTrue("no FD_READ for python's datagram", events.await(FD_READ_BIT, Loopback.WAIT_MILLIS));
            ByteBuffer buf = ByteBuffer.allocate(100);
            SOCKADDR from = new SOCKADDR();
            int n = member.receive(buf, from, false);
            assertEquals("hello from python", new String(buf.array(), 0, n, StandardCharsets.UTF_8));
            assertEquals(SOCKADDR.of("127.0.0.1", pythonPort), from);
        }
    }

    // Issue 4 item 5: a JL_SENDER_ONLY member sends to the group; python, joined on 127.0.0.1, receives it.
    @Test
    public void joinleafMemberReachesPythonReceiver() throws Exception {
        LeafSocket member = Loopback.socket(provider, AF_INET, new RecordingUpcalls());
        try (PythonPeer python = PythonPeer.start(PYTHON_RECEIVER, hostOf(group), String.valueOf(group.port))) {
            assertEquals("python did not join", "ready", python.nextLine(Loopback.WAIT_MILLIS));
            Loopback.join(member, group, JL_SENDER_ONLY);
            member.send(ByteBuffer.wrap("hello from joinleaf".getBytes(StandardCharsets.UTF_8)), null);

            String line = python.nextLine(Loopback.WAIT_MILLIS + 1000);
            assertEquals("got 127.0.0.1 " + member.localAddress().port + " hello from joinleaf", line);
        }
    }

    private static String hostOf(SOCKADDR a) {
        return a.toInetSocketAddress().getAddress().getHostAddress();
    }
}
