package org.joinleaf.tcp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.WsaException;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.joinleaf.tcp.protocol.FrameCodec;
import org.joinleaf.tcp.session.LimitCounters;
import org.joinleaf.tcp.session.TcpSettings;
import org.joinleaf.tcp.session.SlowLeafPolicy;
import org.junit.Test;

/**
 * Issue 11, "eviction that punishes the network, not the laggard": under EVICT a root sending faster than every leaf
 * can take evicted them all while send() kept succeeding. Eviction is relative now: when every receiving leaf is
 * behind, the root gets WSAEWOULDBLOCK and then FD_WRITE, nobody is evicted (neither by backlog nor by the slow-leaf
 * timer), and each leaf gets every message in order.
 */
public class RelativeEvictionTest extends ProviderFixture {
    private static final int PAYLOAD = 4000;

    @Override
    TcpSettings.Builder settings() {
        TcpSettings.Builder b = TcpSettings.builder();
        b.slowLeafPolicy = SlowLeafPolicy.EVICT;
        b.maxMessageSize = 4096;
        b.writeBufferLowWaterMark = 2048;
        b.writeBufferHighWaterMark = 4096;
        b.receiveQueueMessages = 4; // the leaves' applications stop reading: their connections pause at once
        b.slowLeafTimeoutMillis = 200;
        return b;
    }

    @Test // issue 11 deliverable 5: every leaf behind -> back-pressure (WSAEWOULDBLOCK, FD_WRITE), never eviction
    public void everyLeafBehindIsBackPressureNotEviction() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        Member a = join(root, rootUp, true, Winsock2.JL_BOTH, "a");
        Member b = join(root, rootUp, true, Winsock2.JL_BOTH, "b");
        int sent = 0;
        WsaException refused = null;
        for (; sent < 100_000 && refused == null; sent++) {
            try {
                root.send(message(sent), null);
            } catch (WsaException e) {
                refused = e;
                sent--;
            }
        }
        assertTrue("never refused after " + sent + " sends", refused != null);
        assertEquals(refused.toString(), Winsock2.WSAEWOULDBLOCK, refused.code());
        // Both stay unwritable past the slow-leaf timeout, three times over: the timer must not evict either.
        Thread.sleep(3 * 200);
        assertEquals(0, a.linkUp.count(Winsock2.FD_CLOSE_BIT));
        assertEquals(0, b.linkUp.count(Winsock2.FD_CLOSE_BIT));
        LimitCounters counters = provider.transport().counters();
        assertEquals(0, counters.count(LimitCounters.Limit.SLOW_LEAF));
        long bound = 2L * 4096 + FrameCodec.HEADER + PAYLOAD;
        assertTrue("backlog " + counters.largestLeafBacklog() + " over " + bound,
                counters.largestLeafBacklog() <= bound);

        // The applications read again: each leaf gets everything in order, FD_WRITE comes, and the root sends 20
        // more, each once both leaves have the one before (so neither falls behind the other).
        Member[] leaves = {a, b};
        for (Member m : leaves) {
            for (int i = 0; i < sent; i++) {
                assertEquals("in order", i, next(m));
            }
        }
        assertEquals(0, rootUp.await(Winsock2.FD_WRITE_BIT));
        for (int i = sent; i < sent + 20; i++) {
            root.send(message(i), null);
            for (Member m : leaves) {
                assertEquals("in order", i, next(m));
            }
        }
        assertEquals(0, a.leafUp.count(Winsock2.FD_CLOSE_BIT) + b.leafUp.count(Winsock2.FD_CLOSE_BIT));
        assertEquals(0, counters.count(LimitCounters.Limit.SLOW_LEAF));
    }

    /** The sequence number of {@code m}'s next message, waiting (bounded) for it. */
    private static int next(Member m) throws Exception {
        m.leafUp.until("a message", () -> m.leaf.available() > 0);
        ByteBuffer got = ByteBuffer.allocate(PAYLOAD);
        assertEquals(PAYLOAD, m.leaf.receive(got, null, false));
        return got.getInt(0);
    }

    private static ByteBuffer message(int seq) {
        ByteBuffer m = ByteBuffer.allocate(PAYLOAD);
        m.putInt(0, seq);
        return m;
    }
}
