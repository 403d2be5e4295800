package org.joinleaf.tcp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.joinleaf.tcp.session.LimitCounters.Limit;
import org.joinleaf.tcp.session.TcpSettings;
import org.junit.Test;

/**
 * Issue 11, "shut out by a few addresses": slow handshakes from 9 addresses saturated {@code maxPendingHandshakes}
 * and legitimate joins were refused. Now a full gate drops the oldest handshake of the busiest /24 for a newcomer,
 * and the opening frame has its own short deadline. Flooding sources are 127.0.1.x; the legitimate caller is on
 * another /24 of the loopback /8.
 */
public class HandshakeFairnessTest extends ProviderFixture {
    private static final int TOTAL = 40;
    private static final int PER_SOURCE = 10;

    @Override
    TcpSettings.Builder settings() {
        TcpSettings.Builder b = TcpSettings.builder();
        b.maxPendingHandshakes = TOTAL;
        b.maxPendingHandshakesPerSource = PER_SOURCE;
        b.joinTimeoutMillis = 10_000;
        b.openingFrameTimeoutMillis = 10_000; // the flood holds its places for the whole test
        return b;
    }

    @Test // issue 11 fairness under floods: a flood from a few prefixes saturating the cap does not refuse a caller
    public void floodFromAFewPrefixesDoesNotShutOutAnotherPrefix() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        List<RawLeaf> flood = new ArrayList<>();
        try {
            for (int i = 0; i < TOTAL; i++) {
                flood.add(new RawLeaf(root.localAddress(), 0, "127.0.1." + (1 + i % 4)));
                int expected = i + 1;
                rootUp.until("place " + expected + " taken", () -> provider.transport().pendingHandshakes() == expected);
            }
            Member legit = join(root, rootUp, true, Winsock2.JL_BOTH, "legit", "127.0.2.1");
            send(root, "welcome");
            assertEquals("welcome", receive(legit.leaf, legit.leafUp, null));
            assertTrue("the flood's oldest handshake gave its place", flood.get(0).closedByPeer());
            assertEquals(1, provider.transport().counters().count(Limit.PENDING_HANDSHAKES));
            assertEquals("nobody was refused", 0, provider.transport().counters().count(Limit.PENDING_HANDSHAKES_PER_SOURCE));
        } finally {
            for (RawLeaf r : flood) {
                r.close();
            }
        }
    }
}
