package org.joinleaf.tcp.session;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;

/**
 * Netty's native epoll transport (Linux; {@link IoTransports} loads this class only where it is available). A bind
 * makes a native socket at once ({@code TcpSocket#bind}, synchronous WSAEADDRINUSE) that the listening channel
 * later takes over, as the NIO transport does with its {@code ServerSocketChannel}.
 */
final class EpollTransport implements IoTransport {
    static final EpollTransport INSTANCE = new EpollTransport();

    private EpollTransport() {
    }

    @Override
    public String name() {
        return TransportChoice.EPOLL.name();
    }

    @Override
    public IoHandlerFactory ioHandlers() {
        return EpollIoHandler.newFactory();
    }

    /**
     * Half the budget: Linux doubles the value set, and the data it holds stays below that. The epoll loop reads a
     * paused connection whose peer shut its output to its end (decision 49), which is at most this buffer.
     */
    @Override
    public int receiveBuffer(int heldBudget) {
        return heldBudget / 2;
    }

    @Override
    public PeerWindow peerWindow() {
        return EpollPeerWindow.INSTANCE;
    }

    @Override
    public Class<EpollSocketChannel> clientChannel() {
        return EpollSocketChannel.class;
    }

    @Override
    public Reservation reserve(InetSocketAddress address, int backlog, int receiveBuffer) throws IOException {
        Socket socket = Socket.newSocketStream();
        try {
            socket.setReuseAddress(true);
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            try {
                socket.bind(address);
            } catch (IOException e) {
                throw new BindException(e.getMessage()); // the strerror text, as the JDK's bind reports it
            }
            socket.listen(backlog);
            return new Bound(socket, (InetSocketAddress) socket.localAddress());
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private record Bound(Socket socket, InetSocketAddress localAddress) implements Reservation {
        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Override
    public Channel listen(Reservation reservation, AcceptOnlyServerChannel.Sink<AcceptedConnection> sink,
                          LimitCounters counters) {
        Bound bound = (Bound) reservation;
        return new AcceptOnlyEpollChannel(bound.socket().intValue(), bound.localAddress(), sink, counters);
    }
}
