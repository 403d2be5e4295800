package org.joinleaf.tcp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.tcp.session.SessionSettings;
import org.junit.Test;

/**
 * Slow handshakes and a join flood (reliability.md scorecard 8): many raw peers connect at once and dribble the
 * start of a JOIN, one byte every 100 ms, never finishing it. Each must be closed at the absolute join deadline
 * (an idle timeout alone would never fire) without ever reaching {@code WSAAccept}, while legitimate leaves join
 * meanwhile. Overshoot past the deadline and the legitimate joins' latency are printed; only generous bounds are
 * asserted. Peers: {@code -Djoinleaf.flood.peers} (100 in the normal build, 500 with {@code -Plong}).
 */
public class SlowHandshakeSoakTest extends ProviderFixture {
    private static final int PEERS = Integer.getInteger("joinleaf.flood.peers", 100);
    private static final int JOIN_TIMEOUT = 1000;
    private static final int LEGIT_JOINS = 5;
    /** The start of a JOIN announcing 40 body bytes: at one byte per 100 ms it never completes in time. */
    private static final byte[] DRIBBLE = Wire.concat(Wire.lengthOnly(40), new byte[] {1, 0x4A, 0x4C, 0x54, 0x50,
        1, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0});

    @Override
    SessionSettings.Builder settings() {
        SessionSettings.Builder b = SessionSettings.builder();
        b.joinTimeoutMillis = JOIN_TIMEOUT;
        b.backlog = 1024; // the kernel accept queue must hold the whole flood
        return b;
    }

    /** One dribbling peer; times in System.nanoTime. */
    private static final class Peer {
        final SocketChannel channel;
        /** Before connect(): the root's deadline starts later, so the measured overshoot is an upper bound. */
        final long startedAt = System.nanoTime();
        long connectedAt;
        long closedAt;
        int sent;

        Peer(SocketChannel channel) {
            this.channel = channel;
        }
    }

    @Test // reliability.md scorecard 8; PROTOCOL.md §7 (handshake deadline), JL join admission only via WSAAccept
    public void dribblingPeersAreClosedAtTheDeadlineWhileGoodLeavesJoin() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        ExecutorService legit = Executors.newSingleThreadExecutor();
        List<Peer> peers = new ArrayList<>();
        Future<long[]> legitLatencies = null;
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < PEERS; i++) {
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                Peer p = new Peer(ch);
                peers.add(p);
                if (ch.connect(root.localAddress().toInetSocketAddress())) {
                    p.connectedAt = System.nanoTime();
                    ch.register(selector, SelectionKey.OP_READ, p);
                } else {
                    ch.register(selector, SelectionKey.OP_CONNECT, p);
                }
            }
            long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_TIMEOUT + 20_000L);
            long nextDribble = System.nanoTime();
            int open = PEERS;
            ByteBuffer sink = ByteBuffer.allocate(256);
            while (open > 0 && System.nanoTime() < giveUp) {
                selector.select(5);
                long now = System.nanoTime();
                for (SelectionKey key : selector.selectedKeys()) {
                    Peer p = (Peer) key.attachment();
                    try {
                        if (key.isConnectable() && p.channel.finishConnect()) {
                            p.connectedAt = now;
                            key.interestOps(SelectionKey.OP_READ);
                        } else if (key.isReadable()) {
                            sink.clear();
                            if (p.channel.read(sink) < 0) {
                                open -= closed(p, key, now);
                            }
                        }
                    } catch (IOException e) {
                        open -= closed(p, key, now);
                    }
                }
                selector.selectedKeys().clear();
                if (legitLatencies == null && peers.stream().allMatch(p -> p.connectedAt != 0)) {
                    legitLatencies = legit.submit(() -> legitimateJoins(root, rootUp));
                }
                if (now >= nextDribble) {
                    nextDribble = now + TimeUnit.MILLISECONDS.toNanos(100);
                    for (Peer p : peers) {
                        if (p.connectedAt != 0 && p.closedAt == 0 && p.sent < DRIBBLE.length) {
                            try {
                                p.channel.write(ByteBuffer.wrap(DRIBBLE, p.sent++, 1));
                            } catch (IOException e) {
                                open -= closed(p, p.channel.keyFor(selector), now);
                            }
                        }
                    }
                }
            }
            assertTrue("every dribbling peer closed by the root", open == 0);
            assertTrue("legitimate joins started during the flood", legitLatencies != null);
            long[] latencies = legitLatencies.get(RecordingUpcalls.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            report(peers, latencies);
            assertEquals("no dribbler ever reached WSAAccept", 0, rootUp.count(Winsock2.FD_ACCEPT_BIT));
            for (Peer p : peers) {
                long lived = TimeUnit.NANOSECONDS.toMillis(p.closedAt - p.startedAt);
                assertTrue("closed after " + lived + " ms: not before the deadline", lived >= JOIN_TIMEOUT);
                assertTrue("closed after " + lived + " ms: at the deadline", lived < JOIN_TIMEOUT + 5000);
            }
        } finally {
            legit.shutdownNow();
            for (Peer p : peers) {
                p.channel.close();
            }
        }
    }

    private static int closed(Peer p, SelectionKey key, long now) throws IOException {
        if (p.closedAt != 0) {
            return 0;
        }
        p.closedAt = now;
        if (key != null) {
            key.cancel();
        }
        p.channel.close();
        return 1;
    }

    /**
     * Leaves joining the flooded root one after the other; returns each join's latency in microseconds. They run on
     * a provider of their own with a generous join timeout, so a slow machine shows up as a latency figure, not as
     * a failure of the root's deadline under test.
     */
    private long[] legitimateJoins(MultipointSocket root, RecordingUpcalls rootUp) throws Exception {
        TcpTransportProvider leaves = new TcpTransportProvider();
        SessionSettings.Builder patient = SessionSettings.builder();
        patient.joinTimeoutMillis = (int) RecordingUpcalls.TIMEOUT_MILLIS;
        leaves.start(patient.build());
        try {
            long[] micros = new long[LEGIT_JOINS];
            for (int i = 0; i < LEGIT_JOINS; i++) {
                MultipointSocket leaf = (MultipointSocket) leaves.socket(leaves.protocols().get(0), C_LEAF_D_LEAF,
                        new RecordingUpcalls("legit " + i));
                RecordingCompletion done = new RecordingCompletion();
                long start = System.nanoTime();
                leaf.join(request(root.localAddress(), null, Winsock2.JL_BOTH, null), done);
                awaitRequest(root, rootUp).accept(null, new RecordingUpcalls("link of legit " + i));
                done.awaitConnected();
                micros[i] = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
            }
            return micros;
        } finally {
            leaves.stop();
        }
    }

    private static void report(List<Peer> peers, long[] legitMicros) {
        long[] overshoot = peers.stream().mapToLong(p -> TimeUnit.NANOSECONDS.toMillis(p.closedAt - p.startedAt)
                - JOIN_TIMEOUT).sorted().toArray();
        Arrays.sort(legitMicros);
        System.out.printf("slow handshakes: %d peers, join deadline %d ms: overshoot from connect() p50=%d ms p99=%d ms max=%d ms;"
                        + " legitimate joins during the flood: %s us (max %.1f ms)%n", peers.size(), JOIN_TIMEOUT,
                overshoot[overshoot.length / 2], overshoot[(int) Math.ceil(overshoot.length * 0.99) - 1],
                overshoot[overshoot.length - 1], Arrays.toString(legitMicros),
                legitMicros[legitMicros.length - 1] / 1000.0);
    }
}
