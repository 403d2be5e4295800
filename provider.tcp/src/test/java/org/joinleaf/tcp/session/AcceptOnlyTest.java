package org.joinleaf.tcp.session;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.tcp.session.LimitCounters.Limit;
import org.junit.Test;

/**
 * The accepting thread only accepts (scorecard 8: 500 slow handshakes at once, counted from the peer's connect):
 * connections reach the sink as plain {@code java.nio} channels on that thread, and the caps and the join deadline
 * apply from the accept even while every session loop is busy.
 */
public class AcceptOnlyTest {
    private static final long WAIT_MILLIS = 10_000;

    @Test // scorecard 8: no Netty child channel is built on the accepting thread, nothing goes through its pipeline
    public void connectionsReachTheSinkOnTheAcceptingThreadAsPlainChannels() throws Exception {
        EventLoopGroup acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("test-accept", true),
                NioIoHandler.newFactory());
        BlockingQueue<String> threads = new ArrayBlockingQueue<>(8);
        BlockingQueue<SocketChannel> accepted = new ArrayBlockingQueue<>(8);
        AtomicInteger pipelineReads = new AtomicInteger();
        List<Socket> peers = new ArrayList<>();
        ServerSocketChannel bound = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        AcceptOnlyServerChannel server = new AcceptOnlyServerChannel(bound, (self, connection) -> {
            threads.offer(Thread.currentThread().getName());
            accepted.offer(connection);
        }, new LimitCounters());
        server.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                pipelineReads.incrementAndGet();
            }
        });
        try {
            acceptor.register(server).syncUninterruptibly();
            for (int i = 0; i < 3; i++) {
                Socket s = new Socket();
                peers.add(s);
                s.connect(bound.getLocalAddress(), 5000);
            }
            for (int i = 0; i < 3; i++) {
                SocketChannel c = accepted.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
                assertNotNull("connection " + i + " reached the sink", c);
                assertTrue("still a plain, open java.nio channel", c.isOpen() && c.isConnected());
                assertTrue(threads.take().startsWith("test-accept"));
                c.close();
            }
            assertEquals("the server pipeline saw no accepted message", 0, pipelineReads.get());
        } finally {
            for (Socket s : peers) {
                s.close();
            }
            server.close().awaitUninterruptibly(WAIT_MILLIS);
            assertTrue(acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(WAIT_MILLIS));
        }
    }

    @Test // scorecard 8, join flood: caps counted and deadlines started on accept, even with every session loop busy
    public void capsAndDeadlinesApplyFromTheAcceptWhileTheSessionLoopsAreBusy() throws Exception {
        TcpSettings.Builder b = TcpSettings.builder();
        b.joinTimeoutMillis = 300;
        b.maxPendingHandshakes = 3;
        b.maxPendingHandshakesPerSource = 3;
        TcpTransport transport = new TcpTransport(b.build(), () -> null);
        CountDownLatch release = new CountDownLatch(1);
        List<Socket> peers = new ArrayList<>();
        try {
            connectWhileLoopsAreBusy(transport, release, 4, peers);
            until("three handshakes counted by the accepting thread alone",
                    () -> transport.pendingHandshakes() == 3);
            release.countDown();

            assertRejected(peers.get(3));
            for (int i = 0; i < 3; i++) {
                assertTrue("silent peer " + i + " closed at its deadline", closedByPeer(peers.get(i)));
            }
            until("deadline closes counted", () -> transport.counters().count(Limit.HANDSHAKE_DEADLINE) == 3);
            // one source: its cap refuses (a full total cap would drop the oldest instead, LimitSettingsTest)
            assertEquals(1, transport.counters().count(Limit.PENDING_HANDSHAKES_PER_SOURCE));
            until("places freed", () -> transport.pendingHandshakes() == 0);
        } finally {
            release.countDown();
            for (Socket s : peers) {
                s.close();
            }
            assertTrue("event loops ended in time", transport.shutdown(3000));
        }
    }

    // reliability.md join flood and resource exhaustion ("no unbounded queue"): refusals still on their way are
    // bounded by maxPendingHandshakes
    @Test
    public void refusalsInFlightAreBoundedAndTheRestClosedOnTheAcceptingThread() throws Exception {
        TcpSettings.Builder b = TcpSettings.builder();
        b.maxPendingHandshakes = 1;
        b.maxPendingHandshakesPerSource = 1;
        TcpTransport transport = new TcpTransport(b.build(), () -> null);
        CountDownLatch release = new CountDownLatch(1);
        List<Socket> peers = new ArrayList<>();
        try {
            connectWhileLoopsAreBusy(transport, release, 3, peers); // so refusals cannot go out yet
            // peer 0 holds the one place, peer 1's REJECT waits for a loop, peer 2 is one refusal too many
            assertTrue("the third connection is closed while every session loop is still busy",
                    closedByPeer(peers.get(2)));
            release.countDown();
            assertRejected(peers.get(1));
            // the REJECT can reach the peer before the loop that wrote it has counted it: wait (bounded) for the count
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (transport.counters().count(Limit.PENDING_HANDSHAKES_PER_SOURCE) < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals("both refusals counted", 2,
                    transport.counters().count(Limit.PENDING_HANDSHAKES_PER_SOURCE));
        } finally {
            release.countDown();
            for (Socket s : peers) {
                s.close();
            }
            assertTrue("event loops ended in time", transport.shutdown(3000));
        }
    }

    @Test // issue 11: an accept failing with EMFILE pauses accepting (summarised log) instead of spinning
    public void failingAcceptBacksOffInsteadOfSpinning() throws Exception {
        EventLoopGroup acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("test-accept", true),
                NioIoHandler.newFactory());
        AtomicInteger attempts = new AtomicInteger();
        AtomicBoolean failing = new AtomicBoolean(true);
        BlockingQueue<SocketChannel> accepted = new ArrayBlockingQueue<>(8);
        LimitCounters counters = new LimitCounters();
        ServerSocketChannel bound = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        AcceptOnlyServerChannel server = new AcceptOnlyServerChannel(bound, (self, c) -> accepted.offer(c), counters) {
            @Override
            SocketChannel accept() throws IOException {
                if (failing.get()) {
                    attempts.incrementAndGet();
                    throw new IOException("Too many open files"); // what EMFILE looks like from accept()
                }
                return super.accept();
            }
        };
        try (Socket peer = new Socket()) {
            acceptor.register(server).syncUninterruptibly();
            peer.connect(bound.getLocalAddress(), 5000); // waits in the kernel's queue while accept fails
            Thread.sleep(500);
            int tried = attempts.get();
            // a spinning loop retries hundreds of thousands of times; backing off 100 ms, about five
            assertTrue("accept tried " + tried + " times in 500 ms", tried >= 1 && tried <= 20);
            assertEquals(tried, counters.count(LimitCounters.PeerEvent.ACCEPT_FAILURE));
            failing.set(false);
            SocketChannel c = accepted.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            assertNotNull("accepting resumed by itself", c);
            c.close();
        } finally {
            server.close().awaitUninterruptibly(WAIT_MILLIS);
            assertTrue(acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(WAIT_MILLIS));
        }
    }

    /**
     * Holds every session loop of {@code transport} busy until {@code release}, then connects {@code n} peers to a
     * listening c_root of it on 127.0.0.1: only the accepting thread can handle them meanwhile.
     */
    private static void connectWhileLoopsAreBusy(TcpTransport transport, CountDownLatch release, int n,
                                                 List<Socket> peers) throws Exception {
        ProviderSocket root = transport.open(Winsock2.AF_INET, true, false,
                Winsock2.WSA_FLAG_MULTIPOINT_C_ROOT | Winsock2.WSA_FLAG_MULTIPOINT_D_ROOT, (bit, error) -> { });
        root.bind(SOCKADDR.of("127.0.0.1", 0));
        root.listen(16);
        for (EventExecutor loop : transport.group()) {
            loop.execute(() -> awaitQuietly(release));
        }
        for (int i = 0; i < n; i++) {
            Socket s = new Socket();
            peers.add(s);
            s.connect(root.localAddress().toInetSocketAddress(), 5000);
            s.setSoTimeout((int) WAIT_MILLIS);
        }
    }

    /** The peer got REJECT(WSAECONNREFUSED) (PROTOCOL.md §3). */
    private static void assertRejected(Socket peer) throws IOException {
        DataInputStream in = new DataInputStream(peer.getInputStream());
        assertEquals("REJECT length", 5, in.readInt());
        assertEquals("REJECT", 0x04, in.readUnsignedByte());
        assertEquals(Winsock2.WSAECONNREFUSED, in.readInt());
    }

    private static boolean closedByPeer(Socket s) {
        try {
            return s.getInputStream().read() == -1;
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("reset"); // the deadline closes with RST
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void until(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (!condition.getAsBoolean()) {
            assertTrue("timed out waiting for: " + what, System.nanoTime() - end < 0);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
