package org.joinleaf.tcp.session;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The Netty transport the provider's connections run on ({@code transport}, issue 14 item 6): its event loops, its
 * client channel and its accept-only listening channel. {@link IoTransports#of} picks one.
 */
interface IoTransport {
    /** {@code NIO} or {@code EPOLL}, as the {@code transport} setting names it. */
    String name();

    IoHandlerFactory ioHandlers();

    /** What the kernel says about a leaf's window when decision 38 would evict it (decision 45). */
    default PeerWindow peerWindow() {
        return PeerWindow.UNKNOWN;
    }

    /**
     * The SO_RCVBUF of a session connection, so that what this transport reads while the connection is paused fits
     * {@code heldBudget} bytes (decision 49); 0 keeps the system's (autotuned) buffer.
     */
    default int receiveBuffer(int heldBudget) {
        return 0;
    }

    /** The channel a join connects with. */
    Class<? extends SocketChannel> clientChannel();

    /**
     * Binds a server socket to {@code address} at once, on the calling thread (listening with {@code backlog}, as
     * Java's bind does, so connects are queued until the socket listens in Winsock's sense). Its accepted
     * connections take {@code receiveBuffer} as SO_RCVBUF from it, before their window is agreed (0: the system's).
     *
     * @throws java.net.SocketException when the address is in use or not of this host (the message says which)
     */
    Reservation reserve(InetSocketAddress address, int backlog, int receiveBuffer) throws IOException;

    /**
     * An accept-only listening channel (not registered yet) that takes {@code reservation} over: {@code sink} gets
     * each accepted connection on the accepting thread.
     */
    Channel listen(Reservation reservation, AcceptOnlyServerChannel.Sink<AcceptedConnection> sink,
                   LimitCounters counters);

    /**
     * Event loops of this transport: the one place they are built. Daemon threads named {@code threadPrefix-N}, tasks
     * bounded per turn ({@link SessionLoops}).
     */
    default EventLoopGroup newGroup(int threads, String threadPrefix) {
        return new SessionLoops(threads, new DefaultThreadFactory(threadPrefix, true), ioHandlers());
    }
}
