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
import org.joinleaf.spi.ConnectionRequest;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.testkit.RecordingCompletion;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.joinleaf.tcp.session.LimitCounters;
import org.joinleaf.tcp.session.TcpSettings;
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
    /** Complete JOINs from 127.0.0.1, sent back to back beside the dribblers: far over {@link #FLOOD_RATE}. */
    private static final int FLOOD_JOINS = 50;
    private static final int FLOOD_RATE = 5;
    /** The legitimate leaves join from another loopback address: another source. */
    private static final String LEGIT_SOURCE = "127.0.0.2";
    /** The start of a JOIN announcing 40 body bytes: at one byte per 100 ms it never completes in time. */
    private static final byte[] DRIBBLE = Wire.concat(Wire.lengthOnly(40), new byte[] {1, 0x4A, 0x4C, 0x54, 0x50,
        1, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0});

    @Override
    TcpSettings.Builder settings() {
        TcpSettings.Builder b = TcpSettings.builder();
        b.joinTimeoutMillis = JOIN_TIMEOUT;
        b.backlog = 1024; // the kernel accept queue must hold the whole flood
        // Every dribbler must meet the deadline, so none may be refused by the caps (LimitsTest covers those).
        b.maxPendingHandshakesPerSource = PEERS + FLOOD_JOINS;
        b.maxPendingHandshakes = PEERS + FLOOD_JOINS + LEGIT_JOINS;
        b.maxJoinRatePerSource = FLOOD_RATE;
        return b;
    }

    /** Flood JOINs within the rate, rejected by the root's condition (legitimate-join thread only). */
    private int rejectedByCondition;

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
            assertEquals("every dribbler closed by the deadline, none refused otherwise", PEERS,
                    provider.transport().counters().count(LimitCounters.Limit.HANDSHAKE_DEADLINE));
            assertTrue("the join flood was rate limited",
                    provider.transport().counters().count(LimitCounters.Limit.JOIN_RATE) > 0);
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
     * Leaves joining the flooded root from {@link #LEGIT_SOURCE} one after the other, each right after a burst of
     * over-rate JOINs from 127.0.0.1; returns each legitimate join's latency in microseconds. The root's
     * condition admits only the legitimate source (the flood JOINs within the rate are rejected by it); every flood
     * JOIN must end with REJECT WSAECONNREFUSED. The leaves run on a provider of their own with a generous join
     * timeout, so a slow machine shows up as a latency figure, not as a failure of the root's deadline under test.
     */
    private long[] legitimateJoins(MultipointSocket root, RecordingUpcalls rootUp) throws Exception {
        TcpProvider leaves = new TcpProvider();
        TcpSettings.Builder patient = TcpSettings.builder();
        patient.joinTimeoutMillis = (int) RecordingUpcalls.TIMEOUT_MILLIS;
        leaves.start(patient.build());
        List<RawLeaf> flood = new ArrayList<>();
        try {
            long[] micros = new long[LEGIT_JOINS];
            for (int i = 0; i < LEGIT_JOINS; i++) {
                for (int f = 0; f < FLOOD_JOINS / LEGIT_JOINS; f++) {
                    RawLeaf raw = new RawLeaf(root.localAddress(), 0);
                    flood.add(raw);
                    raw.join(Winsock2.JL_BOTH, new byte[0]);
                }
                MultipointSocket leaf = (MultipointSocket) leaves.socket(leaves.protocols().get(0), C_LEAF_D_LEAF,
                        new RecordingUpcalls("legit " + i));
                leaf.bind(SOCKADDR.of(LEGIT_SOURCE, 0));
                RecordingCompletion done = new RecordingCompletion();
                long start = System.nanoTime();
                leaf.join(request(root.localAddress(), null, Winsock2.JL_BOTH, null), done);
                admitOnly(LEGIT_SOURCE, root, rootUp, "legit " + i);
                done.awaitConnected();
                micros[i] = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
            }
            // Flood JOINs within the rate that arrived after the last legitimate one wait in the queue: reject them.
            rootUp.until("every flood JOIN refused by the rate or the condition", () -> {
                for (ConnectionRequest r = root.pendingRequest(); r != null; r = root.pendingRequest()) {
                    r.reject();
                    rejectedByCondition++;
                }
                return rejectedByCondition + provider.transport().counters().count(LimitCounters.Limit.JOIN_RATE)
                        == FLOOD_JOINS;
            });
            for (RawLeaf raw : flood) {
                assertEquals("every flood JOIN refused", Winsock2.WSAECONNREFUSED, raw.expectReject());
            }
            return micros;
        } finally {
            for (RawLeaf raw : flood) {
                raw.close();
            }
            leaves.stop();
        }
    }

    /** WSAAccept with a condition that admits {@code host} only: rejects requests from elsewhere until one. */
    private void admitOnly(String host, MultipointSocket root, RecordingUpcalls rootUp, String name)
            throws Exception {
        for (int i = 0; i <= FLOOD_JOINS; i++) {
            ConnectionRequest req = awaitRequest(root, rootUp);
            if (req.callerAddress().toInetSocketAddress().getAddress().getHostAddress().equals(host)) {
                req.accept(null, new RecordingUpcalls("link of " + name));
                return;
            }
            req.reject();
            rejectedByCondition++;
        }
        throw new AssertionError("no request from " + host + " among " + FLOOD_JOINS + " others");
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
