package org.joinleaf.multicast;

import static org.joinleaf.api.Winsock2.AF_INET;
import static org.joinleaf.api.Winsock2.FD_READ_BIT;
import static org.joinleaf.api.Winsock2.JL_RECEIVER_ONLY;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.joinleaf.spi.config.ConfigCheck;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.spi.WsaException;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.junit.After;
import org.junit.Test;

/**
 * Issue 11, envelope E5 (multicast 64 KiB flood): 600 datagrams of 64 KiB to a joined group made the I/O thread die of
 * OutOfMemoryError in a 32 MB gateway. The receive queues are bounded in bytes per socket and in total, with
 * defaults derived from the heap; an explicit value that cannot fit fails activation naming the setting.
 */
public class ReceiveBudgetTest {
    private static final long GATEWAY_HEAP = 32L << 20;
    private static final int FLOOD_DATAGRAMS = 600;
    private static final int LARGEST = 65507; // the largest IPv4 UDP payload

    private MulticastProvider provider;

    @After
    public void stop() {
        if (provider != null) {
            provider.deactivate();
        }
    }

    // Issue 11 deliverable 1: the derived defaults under the gateway's -Xmx32m, and what cannot fit.
    @Test
    public void defaultsAreDerivedFromTheHeapAndTheWorstCaseFits() {
        MulticastConfig config = Loopback.config(Map.of());
        ReceiveLimits limits = ReceiveLimits.derive(config, ConfigCheck.of(MulticastConfig.PID, config), GATEWAY_HEAP);
        assertEquals("1/16 of the heap", 2L << 20, limits.totalBytes());
        assertEquals("a quarter of the total", 512L << 10, limits.perSocketBytes());
        assertTrue("every queue full plus the read buffer stays within a quarter of the heap",
                limits.totalBytes() + SelectorLoop.MAX_UDP_PAYLOAD <= GATEWAY_HEAP / 4);
    }

    // Issue 11 deliverable 1: an explicit value that cannot fit fails activation and names the setting.
    @Test
    public void explicitLimitsThatCannotFitFailActivationNamingTheSetting() {
        Map<Map<String, Integer>, String> bad = Map.of(
                Map.of("totalReceiveQueueBytes", 16 << 20), "totalReceiveQueueBytes",
                Map.of("totalReceiveQueueBytes", 1 << 20, "receiveQueueBytes", 2 << 20), "receiveQueueBytes",
                Map.of("receiveQueueBytes", -1), "receiveQueueBytes");
        bad.forEach((values, setting) -> {
            try {
                Loopback.provider(values, GATEWAY_HEAP).deactivate();
                fail("activation must fail for " + values);
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage(), e.getMessage().contains(setting));
                assertTrue(e.getMessage(), e.getMessage().contains(MulticastConfig.PID));
            } catch (Exception e) {
                throw new AssertionError(values + " failed with " + e, e);
            }
        });
    }

    // Issue 11, envelope E5 (multicast 64 KiB flood): two members that do not read; with the defaults of a 32 MB heap
    // each holds at most its share, the rest is dropped and counted, and the I/O thread keeps delivering.
    @Test
    public void issue11_multicastFloodOf64KiBDatagramsStaysWithinTheDerivedBudget() throws Exception {
        Loopback.assumeIpv4();
        provider = Loopback.provider(Map.of(), GATEWAY_HEAP);
        SOCKADDR group = Loopback.group4();
        RecordingUpcalls aEvents = new RecordingUpcalls();
        List<LeafSocket> members = List.of(member(group, aEvents), member(group, new RecordingUpcalls()));
        long perSocket = provider.receiveLimits().perSocketBytes();

        flood(group, FLOOD_DATAGRAMS, () -> provider.droppedDatagrams(DropReason.SOCKET_QUEUE_FULL) > 0);

        assertTrue("the queues filled and further datagrams were dropped and counted",
                provider.droppedDatagrams(DropReason.SOCKET_QUEUE_FULL) > 0);
        for (LeafSocket m : members) {
            assertTrue("a socket holds " + m.queuedBytes() + " > " + perSocket, m.queuedBytes() <= perSocket);
            assertTrue("the queue is used up to its budget", m.queuedBytes() > perSocket - ReceiveLimits.cost(LARGEST));
        }
        assertTrue(provider.queuedBytes() <= provider.receiveLimits().totalBytes());
        assertTrue("the I/O thread survived", provider.isLoopAlive());

        LeafSocket a = members.get(0);
        while (a.available() > 0) {
            a.receive(ByteBuffer.allocate(LARGEST), null, false);
        }
        assertEquals("draining gives the bytes back", 0, a.queuedBytes());
        try (DatagramChannel sender = loopbackSender()) {
            sender.send(ByteBuffer.wrap(new byte[] {42}), group.toInetSocketAddress());
        }
        assertTrue("a drained socket receives again", Loopback.eventually(() -> a.available() == 1));
    }

    // Issue 11: the provider-wide total holds when the sockets' own limits together exceed it.
    @Test
    public void issue11_totalAcrossSocketsNeverExceedsTotalReceiveQueueBytes() throws Exception {
        Loopback.assumeIpv4();
        long total = 400_000;
        provider = Loopback.provider(Map.of("receiveQueueBytes", 300_000, "totalReceiveQueueBytes", (int) total),
                GATEWAY_HEAP);
        SOCKADDR group = Loopback.group4();
        LeafSocket a = member(group, new RecordingUpcalls());
        LeafSocket b = member(group, new RecordingUpcalls());

        flood(group, FLOOD_DATAGRAMS, () -> provider.droppedDatagrams(DropReason.PROVIDER_BUDGET_FULL) > 0);

        assertTrue("arrivals over the total were dropped and counted as such",
                provider.droppedDatagrams(DropReason.PROVIDER_BUDGET_FULL) > 0);
        assertTrue(provider.queuedBytes() + " > " + total, provider.queuedBytes() <= total);
        assertEquals(a.queuedBytes() + b.queuedBytes(), provider.queuedBytes());
    }

    private LeafSocket member(SOCKADDR group, RecordingUpcalls events) throws Exception {
        LeafSocket s = Loopback.socket(provider, AF_INET, events);
        Loopback.join(s, group, JL_RECEIVER_ONLY);
        return s;
    }

    /** Sends up to {@code count} largest datagrams, 1 ms apart so the loop reads them, until {@code done} (10 s). */
    private static void flood(SOCKADDR group, int count, java.util.function.BooleanSupplier done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (DatagramChannel sender = loopbackSender()) {
            ByteBuffer payload = ByteBuffer.allocate(LARGEST);
            for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
                sender.send(payload.clear(), group.toInetSocketAddress());
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
        Loopback.eventually(done);
    }

    static DatagramChannel loopbackSender() throws Exception {
        DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET);
        c.setOption(StandardSocketOptions.IP_MULTICAST_IF, NetworkInterface.getByName("lo"));
        c.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 0);
        c.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return c;
    }
}
