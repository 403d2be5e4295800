package org.joinleaf.tcp.session;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.joinleaf.spi.ProviderStatus;
import org.joinleaf.tcp.session.LimitCounters.Limit;
import org.joinleaf.tcp.session.LimitCounters.PeerEvent;
import org.junit.Test;

/**
 * Issue 15 item 4: what the TCP provider shows operators through {@link ProviderStatus}: every limit and peer event by
 * name, its two provider-wide budgets, and an event loop that stopped while the transport runs.
 */
public class TransportStatusTest {

    @Test
    public void everyLimitAndPeerEventIsCountedByName() {
        TcpTransport t = new TcpTransport(TcpSettings.defaults(), () -> null);
        try {
            Map<String, Long> limits = t.counters().limitCounts();
            assertEquals(Arrays.stream(Limit.values()).map(Enum::name).collect(Collectors.toSet()), limits.keySet());
            assertEquals(Arrays.stream(PeerEvent.values()).map(Enum::name).collect(Collectors.toSet()),
                    t.counters().peerEventCounts().keySet());
            t.counters().refused(Limit.JOIN_RATE, "a test refusal");
            t.counters().peerEvent(PeerEvent.TLS_FAILURE, () -> "a test TLS failure");
            assertEquals(Long.valueOf(1), t.counters().limitCounts().get("JOIN_RATE"));
            assertEquals(Long.valueOf(1), t.counters().peerEventCounts().get("TLS_FAILURE"));
        } finally {
            t.shutdown(3000);
        }
    }

    @Test
    public void budgetsAreTheQueuedAndReceivedBytesAgainstTheirSettings() {
        TcpTransport t = new TcpTransport(TcpSettings.defaults(), () -> null);
        try {
            Map<String, ProviderStatus.Budget> budgets = t.budgets();
            assertEquals(Set.of("maxQueuedBytes", "maxReceivedBytes"), budgets.keySet());
            assertEquals(t.settings().maxQueuedBytes(), budgets.get("maxQueuedBytes").totalBytes());
            assertEquals(t.settings().maxReceivedBytes(), budgets.get("maxReceivedBytes").totalBytes());
            assertEquals(0, budgets.get("maxQueuedBytes").usedBytes());
        } finally {
            t.shutdown(3000);
        }
    }

    // issue 15 item 4: "event loops alive" - a loop that ended while the transport runs is reported, by name
    @Test
    public void aStoppedEventLoopIsReportedUntilTheTransportStops() {
        TcpTransport t = new TcpTransport(TcpSettings.defaults(), () -> null);
        try {
            assertEquals(List.of(), t.stoppedEventLoops());
            t.group().iterator().next().shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
            List<String> stopped = t.stoppedEventLoops();
            assertEquals(stopped.toString(), 1, stopped.size());
            assertTrue(stopped.get(0), stopped.get(0).matches("joinleaf-tcp event loop \\d+ has stopped"));
        } finally {
            t.shutdown(3000);
        }
        assertEquals("a stopped transport has no loops to miss", List.of(), t.stoppedEventLoops());
    }
}
