package org.joinleaf.bench.tcp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Peers that connect all at once from 127.0.0.1 and dribble the start of a JOIN, one byte every 100 ms, never
 * finishing it: the root must close each at its join deadline. They run in a JVM of their own ({@link #main}, started
 * by {@link #launch}) so their 500 connects, writes and close detections do not take the root JVM's CPU (on a 2-core
 * machine the in-process peers delayed the root's accepts by 100-300 ms). System.nanoTime is CLOCK_MONOTONIC on
 * Linux, so the child's timestamps compare with the root's.
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
        static Peer parse(String line) {
            String[] f = line.split(" ");
            return new Peer(Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]));
        }
    }

    private static final class Dribbler {
        final SocketChannel channel;
        long connectStart;
        long connectDone;
        long closeSeen;
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
            b.append("peer ").append(p.port).append(' ').append(p.connectStart).append(' ').append(p.connectDone)
                    .append(' ').append(p.closeSeen).append('\n');
        }
        System.out.print(b.append("done\n"));
        System.out.flush();
        System.exit(0);
    }

    /**
     * Connects {@code count} peers to {@code root} and dribbles until each was closed or {@code giveUpMillis} passed,
     * on this thread with one selector.
     */
    private static List<Dribbler> dribble(InetSocketAddress root, int count, long giveUpMillis) throws IOException {
        List<Dribbler> peers = new ArrayList<>();
        // Opened before the burst so that only connect() itself is timed from.
        for (int i = 0; i < count; i++) {
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            peers.add(new Dribbler(ch));
        }
        try (Selector selector = Selector.open()) {
            for (Dribbler p : peers) {
                p.connectStart = System.nanoTime();
                boolean connected = p.channel.connect(root);
                if (connected) {
                    connected(p, System.nanoTime());
                }
                p.channel.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, p);
            }
            long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(giveUpMillis);
            long nextDribble = System.nanoTime();
            int open = count;
            int pendingConnects = (int) peers.stream().filter(p -> p.connectDone == 0).count();
            boolean toldConnected = false;
            ByteBuffer sink = ByteBuffer.allocate(256);
            while (open > 0 && System.nanoTime() - giveUp < 0) {
                selector.select(5);
                long now = System.nanoTime();
                for (SelectionKey key : selector.selectedKeys()) {
                    Dribbler p = (Dribbler) key.attachment();
                    try {
                        if (key.isConnectable() && p.channel.finishConnect()) {
                            connected(p, now);
                            pendingConnects--;
                            key.interestOps(SelectionKey.OP_READ);
                        } else if (key.isReadable() && p.channel.read(sink.clear()) < 0) {
                            open -= closed(p, now);
                        }
                    } catch (IOException e) { // a reset: the root closed it
                        if (p.connectDone == 0) {
                            pendingConnects--;
                        }
                        open -= closed(p, now);
                    }
                }
                selector.selectedKeys().clear();
                if (!toldConnected && pendingConnects == 0) {
                    toldConnected = true;
                    System.out.println("connected");
                    System.out.flush();
                }
                if (now - nextDribble >= 0) {
                    nextDribble = now + DRIBBLE_NANOS;
                    open -= dribble(peers, now);
                }
            }
            return peers;
        } finally {
            for (Dribbler p : peers) {
                p.channel.close();
            }
        }
    }

    private static void connected(Dribbler p, long now) throws IOException {
        p.connectDone = now;
        p.port = ((InetSocketAddress) p.channel.getLocalAddress()).getPort();
    }

    private static int dribble(List<Dribbler> peers, long now) throws IOException {
        int closed = 0;
        for (Dribbler p : peers) {
            if (p.connectDone != 0 && p.closeSeen == 0 && p.sent < DRIBBLE.length) {
                try {
                    p.channel.write(ByteBuffer.wrap(DRIBBLE, p.sent++, 1));
                } catch (IOException e) {
                    closed += closed(p, now);
                }
            }
        }
        return closed;
    }

    private static int closed(Dribbler p, long now) throws IOException {
        if (p.closeSeen != 0) {
            return 0;
        }
        p.closeSeen = now;
        p.channel.close();
        return 1;
    }
}
