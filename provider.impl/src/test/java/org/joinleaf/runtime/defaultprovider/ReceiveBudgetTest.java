package org.joinleaf.runtime.defaultprovider;

import static org.joinleaf.api.Winsock2.*;
import static org.joinleaf.spi.testkit.WsaAssert.expectWsa;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.joinleaf.spi.DatagramBudget;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.joinleaf.spi.config.BadConfigurationException;
import org.junit.After;
import org.junit.Test;

/**
 * Issue 11 deliverable 1, envelope E3 and E4 (receive queues not bounded in total, caps that do not fit): every receive buffer
 * of the default provider (a TCP connection's, a UDP socket's queued datagrams) is charged to one provider-wide
 * total, derived from the heap; what cannot fit fails activation naming the setting.
 */
public class ReceiveBudgetTest {
    private static final long GATEWAY_HEAP = 32L << 20;
    private static final int LARGEST = 65507;

    private ProviderFixture fixture;

    @After
    public void stop() {
        if (fixture != null) {
            fixture.after();
        }
    }

    private ProviderFixture start(int receiveBufferBytes, int totalReceiveBytes) {
        fixture = new ProviderFixture(ProviderFixture.config(receiveBufferBytes, 65536, 64, 1024, totalReceiveBytes));
        fixture.before();
        return fixture;
    }

    private DatagramBudget<DropReason> budget() {
        return fixture.provider.resources().budget();
    }

    // Issue 11: derived from the gateway's -Xmx32m; a total above a quarter of the heap, or a per-socket buffer
    // above the total, fails activation naming it.
    @Test
    public void theTotalIsDerivedFromTheHeapAndWhatCannotFitIsRefusedByName() {
        DefaultSettings derived = DefaultSettings.of(ProviderFixture.config(65536, 65536, 64, 1024, 0), GATEWAY_HEAP);
        assertEquals(4L << 20, derived.totalReceiveBytes());
        for (Object[] bad : new Object[][] {
                {ProviderFixture.config(65536, 65536, 64, 1024, 16 << 20), "totalReceiveBytes"},
                {ProviderFixture.config(1 << 20, 65536, 64, 1024, 512 << 10), "receiveBufferBytes"}}) {
            try {
                new DefaultProvider().activate((DefaultProviderConfig) bad[0], GATEWAY_HEAP);
                fail(bad[1] + " accepted");
            } catch (BadConfigurationException e) {
                assertEquals(e.getMessage(), bad[1], e.key());
                assertTrue(e.getMessage(), e.getMessage().startsWith("configuration " + DefaultProvider.PID));
            }
        }
    }

    // Issue 11: a connection whose receive buffer the total cannot take is refused with WSAENOBUFS, the request
    // stays queued, and it is accepted once another connection gave its buffer back.
    @Test
    public void issue11_connectionsBeyondTheTotalAreRefusedWithWsaenobufs() throws Exception {
        start(65536, 3 * 65536);
        RecordingUpcalls listenerEvents = new RecordingUpcalls();
        ProviderSocket listener = fixture.listener(listenerEvents);
        ProviderSocket first = fixture.connectTo(listener, listenerEvents, new RecordingUpcalls());
        ProviderFixture.head(listener).accept(null, new RecordingUpcalls());
        fixture.connectTo(listener, listenerEvents, new RecordingUpcalls());
        assertEquals(3 * 65536, budget().usedBytes());

        expectWsa(WSAENOBUFS, () -> ProviderFixture.head(listener).accept(null, new RecordingUpcalls()));

        first.close();
        ProviderFixture.head(listener).accept(null, new RecordingUpcalls());
        assertEquals(3 * 65536, budget().usedBytes());
    }

    // Issue 11: two UDP sockets flooded with 64 KiB datagrams hold the total at most; the rest is dropped and
    // counted as such.
    @Test
    public void issue11_udpFloodStaysWithinTheProviderTotal() throws Exception {
        int total = 300_000;
        start(200_000, total);
        ProviderSocket a = bound(new RecordingUpcalls());
        ProviderSocket b = bound(new RecordingUpcalls());
        try (DatagramChannel sender = DatagramChannel.open()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (int i = 0; i < 100 && System.nanoTime() < deadline
                    && budget().dropped(DropReason.PROVIDER_FULL) == 0; i++) {
                for (ProviderSocket s : new ProviderSocket[] {a, b}) {
                    sender.send(ByteBuffer.allocate(LARGEST), new InetSocketAddress("127.0.0.1", s.localAddress().port));
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
        }
        assertTrue("arrivals over the total were dropped and counted",
                budget().dropped(DropReason.PROVIDER_FULL) > 0);
        assertTrue(budget().usedBytes() + " > " + total, budget().usedBytes() <= total);
        a.close();
        b.close();
        assertEquals("closed sockets give their bytes back", 0, budget().usedBytes());
    }

    private ProviderSocket bound(RecordingUpcalls events) throws Exception {
        ProviderSocket s = fixture.socket(AF_INET, SOCK_DGRAM, events);
        s.bind(ProviderFixture.loopback(0));
        return s;
    }
}
