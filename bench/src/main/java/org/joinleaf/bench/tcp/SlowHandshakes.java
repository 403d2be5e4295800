package org.joinleaf.bench.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Peers that connect all at once from 127.0.0.1 and dribble the start of a JOIN, one byte every 100 ms, never
 * finishing it: the root must close each at its join deadline. Runs on the calling thread with one selector; records,
 * per peer, when its connect() began and when it saw the root close the connection.
 */
final class SlowHandshakes {
    private static final long DRIBBLE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** The start of a JOIN announcing 40 body bytes: 16 bytes at one per 100 ms never complete it in time. */
    private static final byte[] DRIBBLE = {0, 0, 0, 40, 1, 0x4A, 0x4C, 0x54, 0x50, 1, 4, 0, 0, 0, 0, 0};

    private static final class Peer {
        final SocketChannel channel;
        final long startedAt = System.nanoTime();
        boolean connected;
        long closedAt;
        int sent;

        Peer(SocketChannel channel) {
            this.channel = channel;
        }
    }

    private final List<Peer> peers = new ArrayList<>();
    private final CountDownLatch allConnected = new CountDownLatch(1);

    /** Waits (bounded) until every peer's TCP connect completed; the legitimate joins start then. */
    boolean awaitAllConnected(long millis) throws InterruptedException {
        return allConnected.await(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Connects {@code count} peers to {@code root} and dribbles until each was closed or {@code giveUpMillis}
     * passed; returns each closed peer's lifetime from connect() in nanoseconds (unclosed peers are left out).
     */
    long[] run(InetSocketAddress root, int count, long giveUpMillis) throws IOException {
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < count; i++) {
                SocketChannel ch = SocketChannel.open();
                Peer p = new Peer(ch);
                peers.add(p);
                ch.configureBlocking(false);
                p.connected = ch.connect(root);
                ch.register(selector, p.connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, p);
            }
            long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(giveUpMillis);
            long nextDribble = System.nanoTime();
            int open = count;
            ByteBuffer sink = ByteBuffer.allocate(256);
            while (open > 0 && System.nanoTime() - giveUp < 0) {
                selector.select(5);
                long now = System.nanoTime();
                for (SelectionKey key : selector.selectedKeys()) {
                    Peer p = (Peer) key.attachment();
                    try {
                        if (key.isConnectable() && p.channel.finishConnect()) {
                            p.connected = true;
                            key.interestOps(SelectionKey.OP_READ);
                        } else if (key.isReadable() && p.channel.read(sink.clear()) < 0) {
                            open -= closed(p, now);
                        }
                    } catch (IOException e) { // a reset: the root closed it
                        open -= closed(p, now);
                    }
                }
                selector.selectedKeys().clear();
                if (allConnected.getCount() > 0 && peers.stream().allMatch(p -> p.connected || p.closedAt != 0)) {
                    allConnected.countDown();
                }
                if (now - nextDribble >= 0) {
                    nextDribble = now + DRIBBLE_NANOS;
                    open -= dribble(now);
                }
            }
            return peers.stream().filter(p -> p.closedAt != 0).mapToLong(p -> p.closedAt - p.startedAt).toArray();
        } finally {
            for (Peer p : peers) {
                p.channel.close();
            }
        }
    }

    private int dribble(long now) throws IOException {
        int closed = 0;
        for (Peer p : peers) {
            if (p.connected && p.closedAt == 0 && p.sent < DRIBBLE.length) {
                try {
                    p.channel.write(ByteBuffer.wrap(DRIBBLE, p.sent++, 1));
                } catch (IOException e) {
                    closed += closed(p, now);
                }
            }
        }
        return closed;
    }

    private static int closed(Peer p, long now) throws IOException {
        if (p.closedAt != 0) {
            return 0;
        }
        p.closedAt = now;
        p.channel.close();
        return 1;
    }
}
