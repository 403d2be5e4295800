package org.joinleaf.tcp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.WsaException;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.joinleaf.tcp.session.TcpSettings;
import org.joinleaf.tcp.session.SlowLeafPolicy;
import org.junit.Test;

/**
 * Policy BLOCK_SENDER: the root's send is refused while a leaf is full; a stuck leaf is evicted on time once it has
 * fallen behind a leaf that keeps up (issue 11: never because every leaf, hence the network, is behind).
 */
public class BlockSenderPolicyTest extends ProviderFixture {

    @Override
    TcpSettings.Builder settings() {
        TcpSettings.Builder b = TcpSettings.builder();
        b.slowLeafPolicy = SlowLeafPolicy.BLOCK_SENDER;
        b.writeBufferLowWaterMark = 2048;
        b.writeBufferHighWaterMark = 4096;
        b.slowLeafTimeoutMillis = 300;
        return b;
    }

    // issue item 3: WSAEWOULDBLOCK on the root, eviction (WSAECONNABORTED) after the timeout, then FD_WRITE. Since
    // issue 11 the timeout evicts only a leaf behind the others, so a healthy leaf reads beside the stalled one.
    @Test
    public void fullLeafBlocksRootUntilEvicted() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        Member healthy = join(root, rootUp, true, Winsock2.JL_BOTH, "healthy");
        try (RawLeaf stalled = new RawLeaf(root.localAddress(), 4096)) {
            stalled.join(Winsock2.JL_BOTH, new byte[0]);
            RecordingUpcalls linkUp = new RecordingUpcalls("stalled link");
            awaitRequest(root, rootUp).accept(null, linkUp);
            stalled.expect(RawLeaf.ACCEPT);
            int refusals = 0;
            int sent = 0;
            int received = 0;
            // Kernel buffers absorb some data and return room (FD_WRITE) until they are full; then the leaf stays
            // unwritable and is evicted after slowLeafTimeoutMillis. Bounded by count and by the waits' timeouts.
            for (int i = 0; i < 1_000_000 && linkUp.count(Winsock2.FD_CLOSE_BIT) == 0; i++) {
                try {
                    ByteBuffer m = ByteBuffer.allocate(1024);
                    m.putInt(0, sent);
                    root.send(m, null);
                    sent++;
                } catch (WsaException e) {
                    assertEquals(Winsock2.WSAEWOULDBLOCK, e.code());
                    refusals++;
                    rootUp.until("FD_WRITE or eviction", () -> rootUp.count(Winsock2.FD_WRITE_BIT) > 0
                            || linkUp.count(Winsock2.FD_CLOSE_BIT) > 0);
                    if (rootUp.count(Winsock2.FD_WRITE_BIT) > 0) {
                        rootUp.await(Winsock2.FD_WRITE_BIT);
                    }
                }
                received = drain(healthy, received);
            }
            assertTrue("the root was never refused", refusals > 0);
            assertEquals(Winsock2.WSAECONNABORTED, linkUp.await(Winsock2.FD_CLOSE_BIT));
            assertTrue(stalled.closedByPeer());
            ByteBuffer last = ByteBuffer.allocate(1024);
            last.putInt(0, sent++);
            assertEquals(1024, root.send(last, null));
            for (long guard = 0; guard < 100_000 && received < sent; guard++) {
                int before = received;
                healthy.leafUp.until("message " + before, () -> healthy.leaf.available() > 0);
                received = drain(healthy, received);
            }
            assertEquals("the healthy leaf got every message", sent, received);
        }
        assertEquals(0, healthy.linkUp.count(Winsock2.FD_CLOSE_BIT));
    }

    /** Takes every message queued at {@code m}, checking order; returns how many it has taken in all. */
    private static int drain(Member m, int received) throws WsaException {
        ByteBuffer got = ByteBuffer.allocate(1024);
        while (m.leaf.available() > 0) {
            got.clear();
            assertEquals(1024, m.leaf.receive(got, null, false));
            assertEquals("in order", received, got.getInt(0));
            received++;
        }
        return received;
    }
}
