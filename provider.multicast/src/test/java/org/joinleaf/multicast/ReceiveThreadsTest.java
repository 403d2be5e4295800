package org.joinleaf.multicast;

import static org.joinleaf.api.Winsock2.AF_INET;
import static org.joinleaf.api.Winsock2.JL_RECEIVER_ONLY;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.junit.Test;

/**
 * Issue 14 item 4: the provider reads its sockets on {@code receiveThreads} I/O threads (one drained every socket
 * and lost in the kernel what it could not read), every socket on one of them, and stops them all on deactivate.
 */
public class ReceiveThreadsTest {
    private static final String PREFIX = "joinleaf-multicast-io-";

    @Test
    public void issue14_socketsAreReadOnEveryConfiguredThreadAndAllStopOnDeactivate() throws Exception {
        Loopback.assumeIpv4();
        SOCKADDR group = Loopback.group4();
        MulticastProvider provider = Loopback.provider(Map.of("receiveThreads", 3));
        try {
            readOnThreeThreads(provider, group);
        } finally {
            provider.deactivate();
        }
        assertFalse("an I/O thread outlived deactivate", liveIoThreads() > 0);
    }

    private static void readOnThreeThreads(MulticastProvider provider, SOCKADDR group) throws Exception {
        Set<String> readers = ConcurrentHashMap.newKeySet();
        provider.loop().injectFaults(new SelectorLoop.Faults() {
            @Override
            public void afterReceive() {
                readers.add(Thread.currentThread().getName());
            }
        });
        List<LeafSocket> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            LeafSocket m = Loopback.socket(provider, AF_INET, new RecordingUpcalls());
            Loopback.join(m, group, JL_RECEIVER_ONLY);
            members.add(m);
        }
        try (DatagramChannel sender = ReceiveBudgetTest.loopbackSender()) {
            sender.send(ByteBuffer.wrap(new byte[] {42}), group.toInetSocketAddress());
        }

        assertTrue("every member queued the datagram", Loopback.eventually(() ->
                members.stream().allMatch(m -> m.queuedDatagrams() == 1)));
        assertEquals("three members dealt over three threads: each read on its own " + readers, 3, readers.size());
        assertTrue(readers.toString(), readers.stream().allMatch(n -> n.startsWith(PREFIX)));
        assertEquals(3, liveIoThreads());
    }

    @Test
    public void issue14_receiveThreadsOutsideOneTo64FailActivationNamingTheSetting() throws Exception {
        for (int bad : new int[] {0, -1, 65}) {
            try {
                Loopback.provider(Map.of("receiveThreads", bad)).deactivate();
                fail("receiveThreads " + bad + " accepted");
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("receiveThreads"));
            }
        }
    }

    /** The I/O threads of this test's provider (other tests' providers are deactivated by their @After). */
    private static long liveIoThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(PREFIX)).count();
    }
}
