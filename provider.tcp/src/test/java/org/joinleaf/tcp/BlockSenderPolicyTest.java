package org.joinleaf.tcp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.WsaException;
import org.joinleaf.tcp.session.SessionSettings;
import org.joinleaf.tcp.session.SlowLeafPolicy;
import org.junit.Test;

/** Policy BLOCK_SENDER: the root's send is refused while a leaf is full; a stuck leaf is evicted on time. */
public class BlockSenderPolicyTest extends ProviderFixture {

    @Override
    SessionSettings.Builder settings() {
        SessionSettings.Builder b = SessionSettings.builder();
        b.slowLeafPolicy = SlowLeafPolicy.BLOCK_SENDER;
        b.writeBufferLowWaterMark = 2048;
        b.writeBufferHighWaterMark = 4096;
        b.slowLeafTimeoutMillis = 300;
        return b;
    }

    @Test // issue item 3: WSAEWOULDBLOCK on the root, eviction (WSAECONNABORTED) after the timeout, then FD_WRITE
    public void fullLeafBlocksRootUntilEvicted() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        try (RawLeaf stalled = new RawLeaf(root.localAddress(), 4096)) {
            stalled.join(Winsock2.JL_BOTH, new byte[0]);
            RecordingUpcalls linkUp = new RecordingUpcalls("stalled link");
            awaitRequest(root, rootUp).accept(null, linkUp);
            stalled.expect(RawLeaf.ACCEPT);
            int refusals = 0;
            // Kernel buffers absorb some data and return room (FD_WRITE) until they are full; then the leaf stays
            // unwritable and is evicted after slowLeafTimeoutMillis. Bounded by count and by the waits' timeouts.
            for (int i = 0; i < 1_000_000 && linkUp.count(Winsock2.FD_CLOSE_BIT) == 0; i++) {
                try {
                    root.send(ByteBuffer.allocate(1024), null);
                } catch (WsaException e) {
                    assertEquals(Winsock2.WSAEWOULDBLOCK, e.code());
                    refusals++;
                    rootUp.until("FD_WRITE or eviction", () -> rootUp.count(Winsock2.FD_WRITE_BIT) > 0
                            || linkUp.count(Winsock2.FD_CLOSE_BIT) > 0);
                    if (rootUp.count(Winsock2.FD_WRITE_BIT) > 0) {
                        rootUp.await(Winsock2.FD_WRITE_BIT);
                    }
                }
            }
            assertTrue("the root was never refused", refusals > 0);
            assertEquals(Winsock2.WSAECONNABORTED, linkUp.await(Winsock2.FD_CLOSE_BIT));
            assertTrue(stalled.closedByPeer());
            assertEquals(1024, root.send(ByteBuffer.allocate(1024), null));
        }
    }
}
