package org.joinleaf.bench.tcp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Peers that connect all at once from 127.0.0.1 and dribble the start of a JOIN, one byte every 100 ms, never
 * finishing it: the root must close each at its join deadline. They run in a JVM of their own ({@link #main}, started
 * by {@link #launch}) so their connects, writes, close detection, JIT and GC are an attacker's work, not the root
 * JVM's. System.nanoTime is CLOCK_MONOTONIC on Linux, so the child's timestamps compare with the root's.
 *
 * <p>Child protocol on stdout: {@code connected} once every TCP connect completed, then one
 * {@code peer <localPort> <connectStart> <connectDone> <closeSeen>} line per peer (nanoTime, 0 = never), then
 * {@code done}.
 */
final class SlowHandshakes {
    private static final long DRIBBLE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** The start of a JOIN announcing 40 body bytes: 16 bytes at one per 100 ms never complete it in time. */
    private static final byte[] DRIBBLE = {0, 0, 0, 40, 1, 0x4A, 0x4C, 0x54, 0x50, 1, 4, 0, 0, 0, 0, 0};

    /** One peer's timeline (nanoTime; 0 = did not happen). */
    record Peer(int localPort, long connectStart, long connectDone, long closeSeen) {
        /** This timeline as one line of the child protocol. */
        String toLine() {
            return "peer " + localPort + " " + connectStart + " " + connectDone + " " + closeSeen;
        }

        /** The inverse of {@link #toLine}. */
        static Peer parse(String line) {
            String[] f = line.split(" ");
            return new Peer(Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]));
        }
    }

    /** One peer; the selector thread connects and reads it, the dribbling thread writes it. */
    private static final class Dribbler {
        final SocketChannel channel;
        long connectStart;
        volatile long connectDone;
        /** Set once, by whichever thread sees the close first. */
        final AtomicLong closeSeen = new AtomicLong();
        int port;
        int sent;

        Dribbler(SocketChannel channel) {
            this.channel = channel;
        }
    }

    private final Process child;
    private final BufferedReader out;

    private SlowHandshakes(Process child) {
        this.child = child;
        this.out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts the peer JVM: {@code count} peers against {@code root}, each given up after {@code giveUpMillis}. */
    static SlowHandshakes launch(InetSocketAddress root, int count, long giveUpMillis) throws IOException {
        return new SlowHandshakes(ChildJvm.start(SlowHandshakes.class, root.getAddress().getHostAddress(),
                Integer.toString(root.getPort()), Integer.toString(count), Long.toString(giveUpMillis)));
    }

    /** Blocks until every peer's TCP connect completed (the child says so); false if it ended first. */
    boolean awaitAllConnected() throws IOException {
        String line = out.readLine();
        if ("connected".equals(line)) {
            return true;
        }
        System.err.println("flood: the peer JVM said " + line + " instead of connected");
        return false;
    }

    /** Reads every peer's timeline once the child is done, then waits (bounded) for it to exit. */
    List<Peer> results(long waitMillis) throws IOException, InterruptedException {
        List<Peer> peers = new ArrayList<>();
        try {
            for (String line = out.readLine(); line != null && !line.equals("done"); line = out.readLine()) {
                if (line.startsWith("peer ")) {
                    peers.add(Peer.parse(line));
                }
            }
        } finally {
            if (!child.waitFor(waitMillis, TimeUnit.MILLISECONDS)) {
                System.err.println("WARNING: the peer JVM did not exit in time; killing it");
                child.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        return peers;
    }

    /** {@code SlowHandshakes <host> <port> <peers> <giveUpMillis>}: the peer JVM. */
    public static void main(String[] args) throws IOException {
        InetSocketAddress root = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        List<Dribbler> peers = dribble(root, Integer.parseInt(args[2]), Long.parseLong(args[3]));
        StringBuilder b = new StringBuilder();
        for (Dribbler p : peers) {
            b.append(new Peer(p.port, p.connectStart, p.connectDone, p.closeSeen.get()).toLine()).append('\n');
        }
        System.out.print(b.append("done\n"));
        System.out.flush();
        System.exit(0);
    }

    /**
     * Connects {@code count} peers to {@code root} and dribbles until each was closed or {@code giveUpMillis} passed.
     * One thread selects (connect completions, closes), another writes every 100 ms: the 500 writes of a dribble round
     * do not delay seeing a close, and each close is stamped when it is seen, not when its select round began.
     */
    private static List<Dribbler> dribble(InetSocketAddress root, int count, long giveUpMillis) throws IOException {
        List<Dribbler> peers = new ArrayList<>();
        // Opened before the burst so that only connect() itself is timed from.
        for (int i = 0; i < count; i++) {
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            peers.add(new Dribbler(ch));
        }
        AtomicInteger open = new AtomicInteger(count);
        long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(giveUpMillis);
        Thread writer = new Thread(() -> writeSlowly(peers, open, giveUp), "bench-dribble-writer");
        try (Selector selector = Selector.open()) {
            int pendingConnects = 0;
            for (Dribbler p : peers) {
                p.connectStart = System.nanoTime();
                boolean connected = p.channel.connect(root);
                if (connected) {
                    connected(p);
                } else {
                    pendingConnects++;
                }
                p.channel.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, p);
            }
            writer.start();
            boolean toldConnected = false;
            ByteBuffer sink = ByteBuffer.allocate(256);
            while (open.get() > 0 && System.nanoTime() - giveUp < 0) {
                if (!toldConnected && pendingConnects == 0) {
                    toldConnected = true;
                    System.out.println("connected");
                    System.out.flush();
                }
                selector.select(5);
                for (SelectionKey key : selector.selectedKeys()) {
                    Dribbler p = (Dribbler) key.attachment();
                    try {
                        if (key.isConnectable() && p.channel.finishConnect()) {
                            connected(p);
                            pendingConnects--;
                            key.interestOps(SelectionKey.OP_READ);
                        } else if (key.isReadable() && p.channel.read(sink.clear()) < 0) {
                            closed(p, open);
                        }
                    } catch (IOException | CancelledKeyException e) {
                        // a reset (the root closed it or refused the connect), or the writer saw the close first
                        if (p.connectDone == 0) {
                            pendingConnects--;
                        }
                        closed(p, open);
                    }
                }
                selector.selectedKeys().clear();
            }
            return peers;
        } finally {
            open.set(0); // ends the writer
            try {
                writer.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (Dribbler p : peers) {
                p.channel.close();
            }
        }
    }

    private static void connected(Dribbler p) throws IOException {
        p.port = ((InetSocketAddress) p.channel.getLocalAddress()).getPort();
        p.connectDone = System.nanoTime();
    }

    /** Every 100 ms one more byte to each connected peer not yet closed, until all are closed or time is up. */
    private static void writeSlowly(List<Dribbler> peers, AtomicInteger open, long giveUp) {
        for (long next = System.nanoTime(); open.get() > 0 && System.nanoTime() - giveUp < 0; next += DRIBBLE_NANOS) {
            LockSupport.parkNanos(next - System.nanoTime());
            for (Dribbler p : peers) {
                if (p.connectDone != 0 && p.closeSeen.get() == 0 && p.sent < DRIBBLE.length) {
                    try {
                        p.channel.write(ByteBuffer.wrap(DRIBBLE, p.sent++, 1));
                    } catch (IOException e) {
                        closed(p, open);
                    }
                }
            }
        }
    }

    /** Stamps the close of {@code p} the first time either thread sees it. */
    private static void closed(Dribbler p, AtomicInteger open) {
        if (p.closeSeen.compareAndSet(0, System.nanoTime())) {
            open.decrementAndGet();
            try {
                p.channel.close();
            } catch (IOException e) {
                // closing a connection the root already reset: nothing left to release
            }
        }
    }
}
