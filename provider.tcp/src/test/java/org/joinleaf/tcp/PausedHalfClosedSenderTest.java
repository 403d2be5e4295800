package org.joinleaf.tcp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.joinleaf.tcp.protocol.FrameCodec;
import org.joinleaf.tcp.session.IoTransports;
import org.joinleaf.tcp.session.LimitCounters;
import org.joinleaf.tcp.session.TcpSettings;
import org.joinleaf.tcp.session.TransportChoice;
import org.junit.Test;

/**
 * Decision 49 (issue 11 items 1 and 4, issue 14 item 6): under epoll, a relay sender paused for its targets that then
 * shuts its output (EPOLLRDHUP; Netty 4.2.18's epoll read loop then reads to EOF whatever autoRead says) has what is
 * read held, not relayed, while paused: no target's backlog passes the relay's bound (twice the high mark plus one
 * message; 42,189 B against 9,221 B before), and once the targets read again every message arrives, in order, before
 * the sender's end.
 */
public class PausedHalfClosedSenderTest extends ProviderFixture {
    private static final int HIGH = 4096;
    private static final int SIZE = 1024;
    private static final int MESSAGES = 600;

    @Override
    TcpSettings.Builder settings() {
        assumeTrue("the native epoll transport loads here", IoTransports.epollUnavailable() == null);
        TcpSettings.Builder b = TcpSettings.builder();
        b.transport = TransportChoice.EPOLL;
        b.maxMessageSize = 4096;
        b.writeBufferLowWaterMark = 2048;
        b.writeBufferHighWaterMark = HIGH;
        b.slowLeafTimeoutMillis = 30_000; // the targets stall on purpose: nobody is evicted for it
        return b;
    }

    @Test
    public void aPausedSenderThatShutsItsOutputIsHeldWithinTheRelayBoundAndLosesNothing() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(false, rootUp);
        List<RawLeaf> targets = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        RecordingUpcalls senderLink = new RecordingUpcalls("sender's link");
        try (RawLeaf a = joinRaw(root, rootUp, 4096, Winsock2.JL_RECEIVER_ONLY, new RecordingUpcalls("a"));
             RawLeaf b = joinRaw(root, rootUp, 4096, Winsock2.JL_RECEIVER_ONLY, new RecordingUpcalls("b"));
             RawLeaf sender = joinRaw(root, rootUp, 0, Winsock2.JL_SENDER_ONLY, senderLink)) {
            targets.add(a);
            targets.add(b);
            Future<Integer> rootGot = threads.submit(() -> {
                ByteBuffer m = ByteBuffer.allocate(SIZE);
                for (int i = 0; i < MESSAGES; i++) {
                    rootUp.until("message " + i, () -> root.available() > 0);
                    m.clear();
                    assertEquals(SIZE, root.receive(m, null, false));
                    assertEquals("in order at the root", i, m.getInt(0));
                }
                return MESSAGES;
            });
            // the burst and the FIN, written while the targets read nothing (the relay pauses the sender)
            Future<?> burst = threads.submit(() -> {
                for (int i = 0; i < MESSAGES; i++) {
                    byte[] body = new byte[SIZE];
                    ByteBuffer.wrap(body).putInt(i);
                    sender.data(body);
                }
                sender.shutdownOutput();
                return null;
            });
            LimitCounters counters = provider.transport().counters();
            for (int i = 0; i < 30 && !burst.isDone(); i++) {
                Thread.sleep(100); // bounded: the burst fits the kernels' buffers or the targets must read first
            }
            Thread.sleep(300); // the FIN reaches the paused connection (EPOLLRDHUP) before anyone reads
            long bound = 2L * HIGH + FrameCodec.HEADER + SIZE;
            assertTrue("backlog " + counters.largestLeafBacklog() + " over " + bound + " while paused",
                    counters.largestLeafBacklog() <= bound);
            List<Future<Integer>> got = new ArrayList<>();
            for (RawLeaf t : targets) {
                got.add(threads.submit(() -> {
                    for (int i = 0; i < MESSAGES; i++) {
                        assertEquals("in order at a target", i, ByteBuffer.wrap(t.expect(RawLeaf.DATA)).getInt());
                    }
                    return MESSAGES;
                }));
            }
            for (Future<Integer> f : got) {
                assertEquals("every message reaches every target", MESSAGES, (int) f.get(60, TimeUnit.SECONDS));
            }
            assertEquals(MESSAGES, (int) rootGot.get(60, TimeUnit.SECONDS));
            burst.get(10, TimeUnit.SECONDS);
            senderLink.await(Winsock2.FD_CLOSE_BIT); // the sender's end comes after its data
            assertEquals("no target evicted", 0, counters.count(LimitCounters.Limit.SLOW_LEAF));
            assertTrue("backlog " + counters.largestLeafBacklog() + " over " + bound,
                    counters.largestLeafBacklog() <= bound);
        } finally {
            threads.shutdownNow();
        }
    }

    /** A raw leaf with receive buffer {@code rcvbuf} (0: the system's) joined to {@code root} as {@code direction}. */
    private RawLeaf joinRaw(MultipointSocket root, RecordingUpcalls rootUp, int rcvbuf, int direction,
                            RecordingUpcalls linkUp) throws Exception {
        RawLeaf raw = new RawLeaf(root.localAddress(), rcvbuf);
        raw.join(direction, new byte[0]);
        closeLater(awaitRequest(root, rootUp).accept(null, linkUp));
        raw.expect(RawLeaf.ACCEPT);
        return raw;
    }
}
