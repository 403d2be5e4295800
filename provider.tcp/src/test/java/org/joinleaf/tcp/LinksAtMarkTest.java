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
            assertEquals("it vanished, not evicted", Winsock2.WSAECONNRESET, goneUp.await(Winsock2.FD_CLOSE_BIT));
            rootUp.until("its backlog dropped", () -> RootProbe.backlog(gone) == 0);
            assertCountMatches(root, rootUp, healthy.link, gone);
            assertEquals("a leaf that left is counted no more", 0, RootProbe.linksAtMark(root));
        }

        // A stalled leaf evicted (BLOCK_SENDER: behind a leaf that keeps up, past the slow-leaf timeout).
        RecordingUpcalls evictedUp = new RecordingUpcalls("evicted link");
        try (RawLeaf stalled = new RawLeaf(root.localAddress(), HIGH)) {
            ProviderSocket evicted = joinRaw(root, rootUp, stalled, evictedUp);
            sent = fillToTheMark(root, rootUp, healthy, evicted, sent, received);
            for (int refills = 0; !evicted(evictedUp, rootUp, evicted); refills++) {
                assertTrue("the stalled leaf's kernel kept taking its backlog (" + refills + " refills)", refills < 20);
                sent = fillToTheMark(root, rootUp, healthy, evicted, sent, received);
            }
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
     * Sends until {@code stalled} is at its mark and Netty holds its connection unwritable (its kernel buffers pinned
     * small, so it takes little more), or it ended; the healthy leaf reads everything. Checks the count wherever the
     * two leaves' backlogs settle on the way.
     */
    private int fillToTheMark(MultipointSocket root, RecordingUpcalls rootUp, Member healthy, ProviderSocket stalled,
                              int sent, int[] received) throws Exception {
        TransportLoops.pinSendBuffers(provider.transport(), HIGH);
        for (int round = 0; round < 1000; round++) {
            sent = sendUntilRefused(root, rootUp, healthy, sent, received);
            settle(healthy, rootUp, sent, received);
            assertCountMatches(root, rootUp, healthy.link, stalled);
            if (RootProbe.ended(stalled)
                    || RootProbe.backlog(stalled) >= HIGH && RootProbe.linksAtMark(root) == 1 && stuck(stalled)) {
                return sent;
            }
        }
        throw new AssertionError("the stalled leaf never stayed at its mark");
    }

    /**
     * True once Netty holds the stalled leaf's frames unwritable (its slow-leaf timer runs): the backlog counted from
     * the send reaches the mark first, while the frames still wait on the loop; false if the kernel took them.
     */
    private static boolean stuck(ProviderSocket stalled) throws InterruptedException {
        for (int i = 0; i < 1000 && RootProbe.writable(stalled) && RootProbe.backlog(stalled) >= HIGH; i++) {
            Thread.sleep(10);
        }
        return !RootProbe.writable(stalled);
    }

    /**
     * Waits for the eviction, which needs the connection unwritable for the whole slow-leaf timeout; false when it
     * became writable first: the kernel took the backlog after all (seen under load: all 4,116 bytes about 0.1 s after
     * the fill saw them held) and nothing more is sent to make it unwritable again. Writability is read before
     * FD_CLOSE: an eviction posts FD_CLOSE before dropping the backlog that frees the connection.
     */
    private static boolean evicted(RecordingUpcalls evictedUp, RecordingUpcalls rootUp, ProviderSocket link)
            throws InterruptedException {
        rootUp.until("the eviction", () -> RootProbe.writable(link) || evictedUp.count(Winsock2.FD_CLOSE_BIT) > 0);
        return evictedUp.count(Winsock2.FD_CLOSE_BIT) > 0;
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
