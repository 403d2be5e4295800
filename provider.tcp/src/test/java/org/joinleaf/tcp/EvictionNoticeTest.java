package org.joinleaf.tcp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.WsaException;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.joinleaf.tcp.protocol.FrameCodec;
import org.joinleaf.tcp.session.LimitCounters;
import org.joinleaf.tcp.session.TcpSettings;
import org.joinleaf.tcp.session.SlowLeafPolicy;
import org.junit.Test;

/**
 * Issue 11, the slow-leaf rules seen from the leaves: an evicted leaf learns why (WSAECONNABORTED, not a reset), and
 * in a relayed session a flooding member is held to the pace of the leaves it is relayed to instead of getting them
 * evicted.
 */
public class EvictionNoticeTest extends ProviderFixture {
    private static final int HIGH = 4096;

    @Override
    TcpSettings.Builder settings() {
        TcpSettings.Builder b = TcpSettings.builder();
        b.slowLeafPolicy = SlowLeafPolicy.EVICT;
        b.maxMessageSize = 4096;
        b.writeBufferLowWaterMark = 2048;
        b.writeBufferHighWaterMark = HIGH;
        b.receiveQueueMessages = 4; // an application that stops reading pauses its connection at once
        b.slowLeafTimeoutMillis = 5000; // also the evicted leaf's time to read its LEAVE
        return b;
    }

    // issue 11 deliverable 6 ("the evicted leaf sees WSAECONNRESET, not the documented WSAECONNABORTED"): the
    // evicted leaf's backlog is dropped and LEAVE(WSAECONNABORTED) sent, so its application reads the messages the
    // kernel had, in order, and then the session ends with WSAECONNABORTED (FD_CLOSE and recv alike)
    @Test
    public void evictedLeafIsToldWhyWithConnAborted() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        Member healthy = join(root, rootUp, true, Winsock2.JL_BOTH, "healthy");
        Member victim = join(root, rootUp, true, Winsock2.JL_BOTH, "victim"); // its application does not read
        int sent = 0;
        for (int i = 0; i < 100_000 && victim.linkUp.count(Winsock2.FD_CLOSE_BIT) == 0; i++) {
            ByteBuffer m = ByteBuffer.allocate(4000);
            m.putInt(0, sent);
            try {
                root.send(m, null);
            } catch (WsaException e) {
                assertEquals(Winsock2.WSAEWOULDBLOCK, e.code()); // the healthy leaf's message still in flight
                rootUp.until("FD_WRITE or eviction", () -> rootUp.count(Winsock2.FD_WRITE_BIT) > 0
                        || victim.linkUp.count(Winsock2.FD_CLOSE_BIT) > 0);
                continue;
            }
            int expected = sent++;
            ByteBuffer got = ByteBuffer.allocate(4000);
            healthy.leafUp.until("message " + expected, () -> healthy.leaf.available() > 0);
            healthy.leaf.receive(got, null, false);
            assertEquals("healthy leaf in order", expected, got.getInt(0));
            while (rootUp.count(Winsock2.FD_WRITE_BIT) > 0) {
                rootUp.await(Winsock2.FD_WRITE_BIT);
            }
        }
        assertEquals(Winsock2.WSAECONNABORTED, victim.linkUp.await(Winsock2.FD_CLOSE_BIT));

        int received = 0;
        int code = 0;
        for (int i = 0; i < 1_000_000 && code == 0; i++) {
            victim.leafUp.until("a message or the end", () -> victim.leaf.available() > 0
                    || victim.leafUp.count(Winsock2.FD_CLOSE_BIT) > 0);
            ByteBuffer got = ByteBuffer.allocate(4000);
            try {
                assertEquals("no graceful end", 4000, victim.leaf.receive(got, null, false));
                assertEquals("victim in order", received, got.getInt(0));
                received++;
            } catch (WsaException e) {
                code = e.code();
            }
        }
        assertEquals("recv after the messages the kernel had", Winsock2.WSAECONNABORTED, code);
        assertEquals(Winsock2.WSAECONNABORTED, victim.leafUp.await(Winsock2.FD_CLOSE_BIT));
        assertTrue("its backlog was dropped, not delivered: " + received + " of " + sent, received < sent);
        assertEquals(0, healthy.linkUp.count(Winsock2.FD_CLOSE_BIT));
    }

    // issue 11 deliverable 4 ("relay without push-back": one member sending flat out evicted the 3 legitimate leaves
    // and the backlog passed the documented bound): the sender's connection is paused while a target is over its
    // mark, so no one is evicted, everyone gets every message in order, and no backlog passes 2 x high mark + one
    // message
    @Test
    public void relayedFloodIsHeldToTheTargetsPace() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(false, rootUp);
        List<Member> legit = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            legit.add(join(root, rootUp, false, Winsock2.JL_BOTH, "legit" + i));
        }
        Member flooder = join(root, rootUp, false, Winsock2.JL_SENDER_ONLY, "flooder");
        int messages = 2000;
        int size = 1024;
        ExecutorService readers = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> got = new ArrayList<>();
            for (Member m : legit) {
                got.add(readers.submit(() -> readInOrder(m.leaf, m.leafUp, messages, size)));
            }
            got.add(readers.submit(() -> readInOrder(root, rootUp, messages, size)));
            for (int sent = 0, guard = 0; sent < messages && guard < 1_000_000; guard++) {
                ByteBuffer m = ByteBuffer.allocate(size);
                m.putInt(0, sent);
                try {
                    flooder.leaf.send(m, null);
                    sent++;
                } catch (WsaException e) {
                    assertEquals(Winsock2.WSAEWOULDBLOCK, e.code());
                    flooder.leafUp.await(Winsock2.FD_WRITE_BIT);
                }
            }
            for (Future<Integer> f : got) {
                assertEquals("every message, in order", messages, (int) f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            readers.shutdownNow();
        }
        LimitCounters counters = provider.transport().counters();
        assertEquals("no legitimate leaf evicted", 0, counters.count(LimitCounters.Limit.SLOW_LEAF));
        for (Member m : legit) {
            assertEquals(0, m.linkUp.count(Winsock2.FD_CLOSE_BIT));
        }
        long bound = 2L * HIGH + FrameCodec.HEADER + size;
        assertTrue("backlog " + counters.largestLeafBacklog() + " over " + bound,
                counters.largestLeafBacklog() <= bound);
    }

    /** Receives {@code count} messages numbered from 0 at {@code s}, failing on a gap; returns how many. */
    private static int readInOrder(ProviderSocket s, RecordingUpcalls up, int count, int size) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(size);
        for (int i = 0; i < count; i++) {
            up.until("message " + i, () -> s.available() > 0);
            buffer.clear();
            assertEquals(size, s.receive(buffer, null, false));
            assertEquals("in order", i, buffer.getInt(0));
        }
        return count;
    }
}
