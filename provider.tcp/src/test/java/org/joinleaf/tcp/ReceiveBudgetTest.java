package org.joinleaf.tcp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.WsaException;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.joinleaf.tcp.protocol.FrameCodec;
import org.joinleaf.tcp.session.TcpSettings;
import org.junit.Test;

/**
 * Issue 11, "receive queues in messages, not bytes": a member sending 64 KiB messages to a root application that does
 * not read made the root hold 1024 x 64 KiB. The queue is now bounded in bytes (receiveQueueBytes per socket,
 * maxReceivedBytes in all): its connection stops being read, TCP pushes back, and the member's send returns
 * WSAEWOULDBLOCK while the root holds no more than the bound plus one read.
 */
public class ReceiveBudgetTest extends ProviderFixture {
    private static final int MESSAGE = 60 * 1024;
    private static final long QUEUE_BYTES = 256 * 1024;

    @Override
    TcpSettings.Builder settings() {
        TcpSettings.Builder b = TcpSettings.builder();
        b.receiveQueueBytes = QUEUE_BYTES;
        b.maxReceivedBytes = 4 * QUEUE_BYTES;
        return b;
    }

    // issue 11 deliverable 1 ("OOM after about 500 frames"): receive queues bounded in bytes; the connection over the
    // bound stops being read
    @Test
    public void aRootThatDoesNotReadHoldsItsByteBoundOnly() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        Member m = join(root, rootUp, true, Winsock2.JL_BOTH, "member");
        // the bound, plus one read (at most the high water mark) of a connection paused while reading, plus a frame
        long bound = QUEUE_BYTES + provider.transport().settings().writeBufferHighWaterMark() + FrameCodec.HEADER
                + MESSAGE;
        // The member sends 200 messages (12 MB) flat out; only when its send is refused does the root's application
        // take one. However far TCP lets the member run ahead, the root holds at most the bound.
        int messages = 200;
        int taken = 0;
        int refusals = 0;
        ByteBuffer got = ByteBuffer.allocate(MESSAGE);
        for (int sent = 0, guard = 0; sent < messages && guard < 100_000; guard++) {
            ByteBuffer msg = ByteBuffer.allocate(MESSAGE);
            msg.putInt(0, sent);
            try {
                m.leaf.send(msg, null);
                sent++;
            } catch (WsaException e) {
                assertEquals(Winsock2.WSAEWOULDBLOCK, e.code());
                refusals++;
                int next = taken;
                rootUp.until("message " + next, () -> root.available() > 0);
                got.clear();
                assertEquals(MESSAGE, root.receive(got, null, false));
                assertEquals("in order", taken++, got.getInt(0));
            }
            assertTrue("the root holds " + provider.transport().receivedBytes() + " B, over " + bound,
                    provider.transport().receivedBytes() <= bound);
        }
        assertTrue("TCP pushed back on the member", refusals > 0);
        for (; taken < messages; taken++) {
            rootUp.until("message " + taken, () -> root.available() > 0);
            got.clear();
            assertEquals(MESSAGE, root.receive(got, null, false));
            assertEquals("in order", taken, got.getInt(0));
            assertTrue(provider.transport().receivedBytes() <= bound);
        }
        assertEquals("every byte taken is given back", 0, provider.transport().receivedBytes());
    }
}
