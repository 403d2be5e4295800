package org.joinleaf.tcp;

import static org.joinleaf.spi.testkit.WsaAssert.expectWsa;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.WsaException;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.joinleaf.tcp.session.TcpSettings;
import org.junit.Test;

/** Data planes through the SPI: fan-out, rooted leaves, relay, boundaries, backpressure (§1.1, §1.7, §4). */
public class DataTest extends ProviderFixture {

    @Override
    TcpSettings.Builder settings() {
        TcpSettings.Builder b = TcpSettings.builder();
        b.maxMessageSize = 4096;
        b.receiveQueueMessages = 4;
        b.writeBufferLowWaterMark = 1024;
        b.writeBufferHighWaterMark = 4096;
        b.slowLeafTimeoutMillis = 30_000; // this class never wants an eviction
        return b;
    }

    @Test // §1.1 rooted data, scenario fan-out: d_root send reaches every receiving leaf, whole and in order
    public void rootSendReachesEveryReceivingLeafInOrder() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        List<Member> leaves = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            leaves.add(join(root, rootUp, true, i == 0 ? Winsock2.JL_RECEIVER_ONLY : Winsock2.JL_BOTH, "leaf" + i));
        }
        Member senderOnly = join(root, rootUp, true, Winsock2.JL_SENDER_ONLY, "sender-only");
        int messages = 50;
        int sent = 0;
        int[] next = new int[leaves.size()];
        // Receive queues hold 4 messages: drain as we go so every leaf keeps reading (bounded loop).
        for (long guard = 0; guard < 1_000_000 && !allDone(next, messages); guard++) {
            if (sent < messages) {
                try {
                    assertEquals(5, send(root, "m" + String.format("%04d", sent)));
                    sent++;
                } catch (WsaException e) {
                    assertEquals(Winsock2.WSAEWOULDBLOCK, e.code());
                }
            }
            for (int i = 0; i < leaves.size(); i++) {
                Member m = leaves.get(i);
                if (next[i] < messages && m.leaf.available() > 0) {
                    ByteBuffer b = ByteBuffer.allocate(64);
                    SOCKADDR from = new SOCKADDR();
                    int n = m.leaf.receive(b, from, false);
                    assertEquals("leaf" + i + " in order", "m" + String.format("%04d", next[i]),
                            new String(b.array(), 0, n, java.nio.charset.StandardCharsets.UTF_8));
                    assertEquals(root.localAddress(), from);
                    next[i]++;
                }
            }
            if (sent == messages && !allDone(next, messages)) {
                leaves.get(firstBehind(next, messages)).leafUp.until("more data",
                        () -> leaves.get(firstBehind(next, messages)).leaf.available() > 0);
            }
        }
        for (int i = 0; i < leaves.size(); i++) {
            assertEquals("leaf" + i + " count", messages, next[i]);
        }
        assertEquals("JL_SENDER_ONLY leaves receive nothing (decisions 6)", 0, senderOnly.leaf.available());
        expectWsa(Winsock2.WSAESHUTDOWN, () -> leaves.get(0).leaf.send(ByteBuffer.allocate(1), null));
    }

    private static boolean allDone(int[] next, int messages) {
        return firstBehind(next, messages) < 0;
    }

    private static int firstBehind(int[] next, int messages) {
        for (int i = 0; i < next.length; i++) {
            if (next[i] < messages) {
                return i;
            }
        }
        return -1;
    }

    @Test // §1.7: a rooted d_leaf exchanges data with the root only; the root's receive names the sender
    public void leafSendReachesRootOnly() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        Member a = join(root, rootUp, true, Winsock2.JL_BOTH, "a");
        Member b = join(root, rootUp, true, Winsock2.JL_BOTH, "b");
        send(a.leaf, "from a");
        send(b.leaf, "from b");
        SOCKADDR from = new SOCKADDR();
        String first = receive(root, rootUp, from);
        assertEquals(first.equals("from a") ? a.leaf.localAddress() : b.leaf.localAddress(), from);
        String second = receive(root, rootUp, from);
        assertEquals(second.equals("from a") ? a.leaf.localAddress() : b.leaf.localAddress(), from);
        assertEquals(0, a.leafUp.count(Winsock2.FD_READ_BIT));
        assertEquals("no relay on the rooted entry", 0, b.leaf.available());
        assertEquals(0, a.leaf.available());
    }

    @Test // R28: the root's c_leaf stands for the leaf's link only; this provider offers no side chats on it
    public void rootsCLeafIsNotADataPath_R28() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        Member a = join(root, rootUp, true, Winsock2.JL_BOTH, "a");
        try {
            a.link.send(java.nio.ByteBuffer.wrap(new byte[] {1}), null);
            org.junit.Assert.fail("a send on the root's c_leaf must fail");
        } catch (WsaException e) {
            assertEquals(Winsock2.WSAEOPNOTSUPP, e.code());
        }
        try {
            a.link.receive(java.nio.ByteBuffer.allocate(8), null, false);
            org.junit.Assert.fail("a receive on the root's c_leaf must fail");
        } catch (WsaException e) {
            assertEquals(Winsock2.WSAEOPNOTSUPP, e.code());
        }
        assertEquals("the leaf got nothing from the attempt", 0, a.leaf.available());
    }

    @Test // relayed entry, scenario 42: B receives what A sends; A gets its own copy only with loopback TRUE
    public void relayedEntryDeliversToOtherLeavesAndHonoursLoopback() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(false, rootUp);
        Member a = join(root, rootUp, false, Winsock2.JL_BOTH, "a");
        Member b = join(root, rootUp, false, Winsock2.JL_BOTH, "b");
        Member quiet = join(root, rootUp, false, Winsock2.JL_SENDER_ONLY, "quiet");

        send(a.leaf, "one");
        assertEquals("one", receive(b.leaf, b.leafUp, null));
        SOCKADDR from = new SOCKADDR();
        assertEquals("one", receive(root, rootUp, from));
        assertEquals(a.leaf.localAddress(), from);
        assertEquals("loopback is TRUE by default", "one", receive(a.leaf, a.leafUp, null));

        a.leaf.ioctl(Winsock2.SIO_MULTIPOINT_LOOPBACK, Boolean.FALSE, null);
        send(a.leaf, "two");
        assertEquals("two", receive(b.leaf, b.leafUp, null));
        assertEquals("two", receive(root, rootUp, null));
        send(a.leaf, "three"); // ordered after "two": once b has it, a's own copy would have been queued
        assertEquals("three", receive(b.leaf, b.leafUp, null));
        assertEquals(0, a.leaf.available());
        assertEquals(0, quiet.leaf.available());
    }

    @Test // §4 WSAEMSGSIZE: a too-small buffer gets the head; the rest is discarded; boundaries are kept
    public void smallReceiveBufferIsMsgSize() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        Member m = join(root, rootUp, true, Winsock2.JL_BOTH, "leaf");
        send(root, "0123456789");
        send(root, "next");
        m.leafUp.until("two messages", () -> m.leaf.available() == 10);
        ByteBuffer small = ByteBuffer.allocate(4);
        expectWsa(Winsock2.WSAEMSGSIZE, () -> m.leaf.receive(small, null, true));
        expectWsa(Winsock2.WSAEMSGSIZE, () -> m.leaf.receive(ByteBuffer.allocate(4), null, false));
        assertArrayEquals(bytes("0123"), small.array());
        assertEquals("next", receive(m.leaf, m.leafUp, null));
        expectWsa(Winsock2.WSAEMSGSIZE, () -> root.send(ByteBuffer.allocate(4097), null));
        expectWsa(Winsock2.WSAEWOULDBLOCK, () -> m.leaf.receive(ByteBuffer.allocate(4), null, false));
    }

    @Test // §4 FD_WRITE: a full connection refuses with WSAEWOULDBLOCK, then FD_WRITE when room returns
    public void fullConnectionWouldBlockThenFdWrite() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        Member m = join(root, rootUp, true, Winsock2.JL_BOTH, "leaf");
        ByteBuffer kib = ByteBuffer.allocate(1024);
        int accepted = 0;
        boolean refused = false;
        // The root does not read: its queue (4) fills, its connection stops reading, TCP pushes back.
        for (int i = 0; i < 1_000_000 && !refused; i++) {
            try {
                m.leaf.send(kib.duplicate(), null);
                accepted++;
            } catch (WsaException e) {
                assertEquals(Winsock2.WSAEWOULDBLOCK, e.code());
                refused = true;
            }
        }
        assertTrue("never refused after " + accepted + " sends", refused);
        // Kernel buffers may still absorb some bytes, so FD_WRITE can come before the root reads; it must come.
        ByteBuffer sink = ByteBuffer.allocate(1024);
        for (long guard = 0; guard < 10_000_000 && m.leafUp.count(Winsock2.FD_WRITE_BIT) == 0; guard++) {
            if (root.available() > 0) {
                root.receive(sink.clear(), null, false);
            } else {
                rootUp.until("data or FD_WRITE", () -> root.available() > 0
                        || m.leafUp.count(Winsock2.FD_WRITE_BIT) > 0);
            }
        }
        assertEquals(0, m.leafUp.await(Winsock2.FD_WRITE_BIT));
        m.leaf.send(kib.duplicate(), null); // room again
    }
}
