package org.joinleaf.tcp.session;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/**
 * Scorecard 8 under {@code transport=EPOLL} (decision 40): the epoll accepting thread also only accepts; each
 * connection reaches the sink there as a bare descriptor with its peer's address, and its channel is built later,
 * off that thread. The NIO twin is {@link AcceptOnlyTest}.
 */
public class AcceptOnlyEpollTest {
    private static final long WAIT_MILLIS = 10_000;

    private record Taken(String thread, AcceptedConnection connection) {
    }

    @Test
    public void connectionsReachTheSinkOnTheAcceptingThreadAsDescriptors() throws Exception {
        assumeTrue("the native epoll transport loads here", IoTransports.epollUnavailable() == null);
        IoTransport epoll = EpollTransport.INSTANCE;
        EventLoopGroup acceptor = epoll.newGroup(1, "test-epoll-accept");
        EventLoopGroup session = epoll.newGroup(1, "test-epoll-session");
        BlockingQueue<Taken> taken = new ArrayBlockingQueue<>(8);
        List<Socket> peers = new ArrayList<>();
        Reservation bound = epoll.reserve(new InetSocketAddress("127.0.0.1", 0), 16, 0);
        Channel server = epoll.listen(bound, (self, c) -> taken.offer(new Taken(Thread.currentThread().getName(), c)),
                new LimitCounters());
        try {
            acceptor.register(server).syncUninterruptibly();
            for (int i = 0; i < 3; i++) {
                Socket s = new Socket();
                peers.add(s);
                s.connect(bound.localAddress(), 5000);
            }
            for (int i = 0; i < 3; i++) {
                Taken t = taken.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
                assertNotNull("connection " + i + " reached the sink", t);
                assertTrue(t.thread(), t.thread().startsWith("test-epoll-accept"));
                assertEquals("the peer's address, read by accept itself", peers.get(i).getLocalAddress(),
                        t.connection().source());
                Channel child = session.submit(t.connection()::newChannel).get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
                assertTrue("an open, connected epoll channel built on the session loop",
                        child.isOpen() && child.isActive());
                assertEquals(peers.get(i).getLocalPort(), ((InetSocketAddress) child.remoteAddress()).getPort());
                child.unsafe().closeForcibly();
            }
        } finally {
            for (Socket s : peers) {
                s.close();
            }
            server.close().awaitUninterruptibly(WAIT_MILLIS);
            assertTrue(acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(WAIT_MILLIS));
            assertTrue(session.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(WAIT_MILLIS));
        }
    }
}
