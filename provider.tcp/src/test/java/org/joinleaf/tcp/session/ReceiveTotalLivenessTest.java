package org.joinleaf.tcp.session;

import static org.junit.Assert.assertNull;
import static org.junit.Assert.fail;

import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.spi.WsaException;
import org.junit.Test;

/**
 * The stall seen once in the TCP bench at N=1000, 1 KiB (a leaf 14 messages short 30 s after the last send):
 * maxReceivedBytes far below what the queues may hold together, so the provider total pauses most connections, and
 * readers each draining their share of the queues at their own pace. Every message must reach its queue's reader,
 * whole and in order (contract: a reliable member gets everything or is evicted). Before the fix a reader whose
 * take drained the total ran the other queues' retries, and a retry that waited again was met again in the same
 * pass: that reader spun there and its share stayed unread for good.
 *
 * <p>A model of the event loop: one thread delivers each source's next read (a few frames, all delivered even if
 * the first pauses the source, as a decoder does) only while the source's auto-read is on. Bounded: 64 sources x
 * 100 messages per round, 3 rounds, each given 60 s.
 */
public class ReceiveTotalLivenessTest {
    private static final SOCKADDR FROM = SOCKADDR.of("127.0.0.1", 1);
    private static final int SOURCES = 64;
    private static final int MESSAGES = 100;
    private static final int SIZE = 1024;
    private static final int READERS = 4;
    private static final long ROUND_NANOS = TimeUnit.SECONDS.toNanos(60); // a loaded 2-core machine takes ~5 s

    @Test
    public void everyQueueGetsEveryMessageInOrderWhenTheTotalPausesMost() throws Exception {
        for (int round = 0; round < 3; round++) {
            round(round);
        }
    }

    private static void round(int round) throws Exception {
        MemoryBudget total = new MemoryBudget("maxReceivedBytes", 16 * SIZE); // 64 queues of 8 KiB: 4 times over
        List<EmbeddedChannel> sources = new ArrayList<>();
        List<InboundQueue> queues = new ArrayList<>();
        for (int i = 0; i < SOURCES; i++) {
            sources.add(new EmbeddedChannel());
            queues.add(new InboundQueue(64, new MemoryBudget("receiveQueueBytes", 8 * SIZE), total));
        }
        long deadline = System.nanoTime() + ROUND_NANOS;
        int[] delivered = new int[SOURCES];
        AtomicIntegerArray taken = new AtomicIntegerArray(SOURCES);
        AtomicReference<String> disorder = new AtomicReference<>();
        Thread loop = new Thread(() -> {
            int read = 0;
            for (boolean more = true; more && System.nanoTime() < deadline; Thread.yield()) {
                more = false;
                for (int i = 0; i < SOURCES; i++) {
                    if (delivered[i] == MESSAGES) {
                        continue;
                    }
                    more = true;
                    if (sources.get(i).config().isAutoRead()) {
                        int frames = 1 + read++ % 4;
                        for (int k = 0; k < frames && delivered[i] < MESSAGES; k++) {
                            byte[] payload = new byte[SIZE];
                            ByteBuffer.wrap(payload).putInt(delivered[i]++);
                            queues.get(i).add(TestMessages.message(payload, FROM), sources.get(i));
                        }
                    }
                }
            }
        }, "model-event-loop");
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            int first = r;
            readers.add(new Thread(() -> read(first, queues, taken, disorder, deadline), "model-reader-" + r));
        }
        loop.setDaemon(true);
        readers.forEach(t -> t.setDaemon(true)); // a reader stuck in the old spin must not hold the JVM
        loop.start();
        readers.forEach(Thread::start);
        loop.join(TimeUnit.NANOSECONDS.toMillis(ROUND_NANOS) + 5000);
        for (Thread t : readers) {
            t.join(5000);
        }
        assertNull(disorder.get());
        StringBuilder stranded = new StringBuilder();
        for (int i = 0; i < SOURCES; i++) {
            if (taken.get(i) != MESSAGES) {
                stranded.append("\n  queue ").append(i).append(": ").append(taken.get(i)).append(" of ")
                        .append(MESSAGES).append(" taken, source reading ").append(sources.get(i).config().isAutoRead());
            }
        }
        if (stranded.length() > 0) {
            fail("round " + round + ", " + total + stranded);
        }
    }

    /** Reader {@code first} takes queues first, first + READERS, ...; the slower ones yield between queues. */
    private static void read(int first, List<InboundQueue> queues, AtomicIntegerArray taken,
            AtomicReference<String> disorder, long deadline) {
        ByteBuffer into = ByteBuffer.allocate(SIZE);
        boolean all = false;
        while (!all && System.nanoTime() < deadline) {
            all = true;
            for (int i = first; i < SOURCES; i += READERS) {
                try {
                    into.clear();
                    queues.get(i).take(into, null, false);
                    int seq = into.getInt(0);
                    if (seq != taken.get(i)) {
                        disorder.compareAndSet(null, "queue " + i + ": message " + seq + " after " + taken.get(i));
                    }
                    taken.incrementAndGet(i);
                } catch (WsaException e) {
                    // WSAEWOULDBLOCK: nothing queued now
                }
                all &= taken.get(i) == MESSAGES;
                if (first > 1) {
                    Thread.yield(); // readers at different speeds
                }
            }
        }
    }
}
