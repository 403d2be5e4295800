package org.joinleaf.tcp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.WsaException;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.joinleaf.tcp.session.RootProbe;
import org.joinleaf.tcp.session.SlowLeafPolicy;
import org.joinleaf.tcp.session.TcpSettings;
import org.joinleaf.tcp.session.TransportLoops;
import org.junit.Test;

/**
 * Decision 56: a root's send skips the slow-leaf scan while its count of links at the high water mark is 0, so that
 * count must stay exactly the number of links whose backlog is at the mark, across joins, a leaf that vanishes with
 * its backlog, and an eviction. Too low and a send would pass a leaf at its mark (BLOCK_SENDER broken); too high and
 * every send scans again. Checked where nothing moves: the healthy leaf has read everything, the stalled one can take
 * nothing.
 */
public class LinksAtMarkTest extends ProviderFixture {
    private static final int HIGH = 4096;
    private static final int SIZE = 1024;

    @Override
    TcpSettings.Builder settings() {
        TcpSettings.Builder b = TcpSettings.builder();
        b.slowLeafPolicy = SlowLeafPolicy.BLOCK_SENDER;
        b.writeBufferLowWaterMark = HIGH / 2;
        b.writeBufferHighWaterMark = HIGH;
        b.slowLeafTimeoutMillis = 3000; // the first stalled leaf must outlive its checks: it is to vanish, not be evicted
        return b;
    }

    @Test
    public void theCountFollowsJoinsAVanishedLeafAndAnEviction() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        Member healthy = join(root, rootUp, true, Winsock2.JL_BOTH, "healthy");
        int[] received = {0};
        int sent = 0;
        assertEquals(0, RootProbe.linksAtMark(root));

        // A stalled leaf that then vanishes: its backlog is dropped when its connection goes, and so is its count.
        RecordingUpcalls goneUp = new RecordingUpcalls("vanishing link");
        try (RawLeaf vanishing = new RawLeaf(root.localAddress(), HIGH)) {
            ProviderSocket gone = joinRaw(root, rootUp, vanishing, goneUp);
            sent = fillToTheMark(root, rootUp, healthy, gone, sent, received);
            vanishing.reset();
            goneUp.await(Winsock2.FD_CLOSE_BIT);
            rootUp.until("its backlog dropped", () -> RootProbe.backlog(gone) == 0);
            assertCountMatches(root, rootUp, healthy.link, gone);
            assertEquals("a leaf that left is counted no more", 0, RootProbe.linksAtMark(root));
        }

        // A stalled leaf evicted (BLOCK_SENDER: behind a leaf that keeps up, past the slow-leaf timeout).
        RecordingUpcalls evictedUp = new RecordingUpcalls("evicted link");
        try (RawLeaf stalled = new RawLeaf(root.localAddress(), HIGH)) {
            ProviderSocket evicted = joinRaw(root, rootUp, stalled, evictedUp);
            sent = fillToTheMark(root, rootUp, healthy, evicted, sent, received);
            rootUp.until("the eviction", () -> evictedUp.count(Winsock2.FD_CLOSE_BIT) > 0);
            assertEquals(Winsock2.WSAECONNABORTED, evictedUp.await(Winsock2.FD_CLOSE_BIT));
            rootUp.until("the evicted leaf's backlog dropped", () -> RootProbe.backlog(evicted) == 0);
            assertCountMatches(root, rootUp, healthy.link, evicted);
            assertEquals("an evicted leaf is counted no more", 0, RootProbe.linksAtMark(root));
        }
        assertEquals(SIZE, root.send(message(sent++), null));
        settle(healthy, rootUp, sent, received);
        assertEquals(0, RootProbe.linksAtMark(root));
    }

    /**
     * Sends until {@code stalled} stays at its mark (its kernel buffers pinned small, so it takes nothing more), the
     * healthy leaf reading everything; checks the count wherever the two leaves' backlogs settle on the way.
     */
    private int fillToTheMark(MultipointSocket root, RecordingUpcalls rootUp, Member healthy, ProviderSocket stalled,
                              int sent, int[] received) throws Exception {
        TransportLoops.pinSendBuffers(provider.transport(), HIGH);
        for (int round = 0; round < 1000; round++) {
            sent = sendUntilRefused(root, rootUp, healthy, sent, received);
            settle(healthy, rootUp, sent, received);
            assertCountMatches(root, rootUp, healthy.link, stalled);
            if (RootProbe.backlog(stalled) >= HIGH && RootProbe.linksAtMark(root) == 1) {
                return sent;
            }
        }
        throw new AssertionError("the stalled leaf never stayed at its mark");
    }

    /** The count comes to the number of the given links at their mark (it follows their credits on the loops). */
    private static void assertCountMatches(MultipointSocket root, RecordingUpcalls rootUp, ProviderSocket... links)
            throws InterruptedException {
        rootUp.until("the count of links at the mark to match their backlogs", () -> {
            int atMark = 0;
            for (ProviderSocket l : links) {
                atMark += RootProbe.backlog(l) >= HIGH ? 1 : 0;
            }
            assertTrue("never below 0", RootProbe.linksAtMark(root) >= 0);
            return RootProbe.linksAtMark(root) == atMark;
        });
    }

    private ProviderSocket joinRaw(MultipointSocket root, RecordingUpcalls rootUp, RawLeaf raw, RecordingUpcalls up)
            throws Exception {
        raw.join(Winsock2.JL_BOTH, new byte[0]);
        ProviderSocket link = closeLater(awaitRequest(root, rootUp).accept(null, up));
        raw.expect(RawLeaf.ACCEPT);
        return link;
    }

    /**
     * Sends until WSAEWOULDBLOCK, the kernel buffers of the stalled leaf filling first (bounded: a million sends);
     * returns the count sent.
     */
    private static int sendUntilRefused(MultipointSocket root, RecordingUpcalls rootUp, Member healthy, int sent,
                                        int[] received) throws Exception {
        while (rootUp.count(Winsock2.FD_WRITE_BIT) > 0) {
            rootUp.await(Winsock2.FD_WRITE_BIT); // an FD_WRITE of an earlier refusal
        }
        for (int i = 0; i < 1_000_000; i++) {
            try {
                root.send(message(sent), null);
                sent++;
            } catch (WsaException e) {
                assertEquals(Winsock2.WSAEWOULDBLOCK, e.code());
                return sent;
            }
            received[0] = drain(healthy, received[0]);
        }
        throw new AssertionError("a million sends and the root was never refused");
    }

    /** Waits until the healthy leaf has read every message and its link's backlog is 0. */
    private static void settle(Member healthy, RecordingUpcalls rootUp, int sent, int[] received) throws Exception {
        for (int i = 0; i < 100_000 && received[0] < sent; i++) {
            int before = received[0];
            healthy.leafUp.until("message " + before, () -> healthy.leaf.available() > 0);
            received[0] = drain(healthy, received[0]);
        }
        assertEquals("the healthy leaf got every message", sent, received[0]);
        rootUp.until("the healthy link's backlog credited", () -> RootProbe.backlog(healthy.link) == 0);
    }

    private static ByteBuffer message(int n) {
        ByteBuffer m = ByteBuffer.allocate(SIZE);
        m.putInt(0, n);
        return m;
    }

    private static int drain(Member m, int received) throws WsaException {
        ByteBuffer got = ByteBuffer.allocate(SIZE);
        while (m.leaf.available() > 0) {
            got.clear();
            assertEquals(SIZE, m.leaf.receive(got, null, false));
            assertEquals("in order", received, got.getInt(0));
            received++;
        }
        return received;
    }
}
