package org.joinleaf.tcp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.WsaException;
import org.joinleaf.tcp.protocol.FrameCodec;
import org.joinleaf.tcp.session.SessionSettings;
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
    SessionSettings.Builder settings() {
        SessionSettings.Builder b = SessionSettings.builder();
        b.receiveQueueBytes = QUEUE_BYTES;
        b.maxReceivedBytes = 4 * QUEUE_BYTES;
        return b;
    }

    @Test // issue 11 deliverable 1: receive queues bounded in bytes; the connection over it stops being read
    public void aRootThatDoesNotReadHoldsItsByteBoundOnly() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        Member m = join(root, rootUp, true, Winsock2.JL_BOTH, "member");
        // the bound, plus one read (at most the high water mark) of a connection paused while reading, plus a frame
        long bound = QUEUE_BYTES + provider.transport().settings().writeBufferHighWaterMark() + FrameCodec.HEADER
                + MESSAGE;
        int sent = 0;
        boolean refused = false;
        for (; sent < 5000 && !refused; sent++) {
            ByteBuffer msg = ByteBuffer.allocate(MESSAGE);
            msg.putInt(0, sent);
            try {
                m.leaf.send(msg, null);
            } catch (WsaException e) {
                assertEquals(Winsock2.WSAEWOULDBLOCK, e.code());
                refused = true;
                sent--;
            }
            assertTrue("the root holds " + provider.transport().receivedBytes() + " B, over " + bound,
                    provider.transport().receivedBytes() <= bound);
        }
        assertTrue("TCP pushed back on the member after " + sent + " messages", refused);
        ByteBuffer got = ByteBuffer.allocate(MESSAGE);
        for (int i = 0; i < sent; i++) {
            rootUp.until("message " + i, () -> root.available() > 0);
            got.clear();
            assertEquals(MESSAGE, root.receive(got, null, false));
            assertEquals("in order", i, got.getInt(0));
            assertTrue(provider.transport().receivedBytes() <= bound);
        }
        assertEquals("every byte taken is given back", 0, provider.transport().receivedBytes());
    }
}
