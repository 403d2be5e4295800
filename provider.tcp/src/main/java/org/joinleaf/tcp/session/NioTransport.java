package org.joinleaf.tcp.session;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** Java NIO: every platform; the listening channel is the bound reservation itself. */
final class NioTransport implements IoTransport {
    static final NioTransport INSTANCE = new NioTransport();

    private NioTransport() {
    }

    @Override
    public String name() {
        return TransportChoice.NIO.name();
    }

    @Override
    public IoHandlerFactory ioHandlers() {
        return NioIoHandler.newFactory();
    }

    @Override
    public Class<NioSocketChannel> clientChannel() {
        return NioSocketChannel.class;
    }

    @Override
    public Reservation reserve(InetSocketAddress address, int backlog, int receiveBuffer) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open();
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (receiveBuffer > 0) {
                ch.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
            }
            ch.bind(address, backlog);
            return new Bound(ch, (InetSocketAddress) ch.getLocalAddress());
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private record Bound(ServerSocketChannel channel, InetSocketAddress localAddress) implements Reservation {
        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    @Override
    public Channel listen(Reservation reservation, AcceptOnlyServerChannel.Sink<AcceptedConnection> sink,
                          LimitCounters counters) {
        return new AcceptOnlyServerChannel(((Bound) reservation).channel(),
                AcceptOnlyServerChannel.Sink.wrapping(sink, Accepted::new), counters);
    }

    private record Accepted(Channel server, SocketChannel connection) implements AcceptedConnection {
        @Override
        public InetAddress source() {
            try {
                return connection.getRemoteAddress() instanceof InetSocketAddress isa ? isa.getAddress() : null;
            } catch (IOException e) {
                return null; // closed under us
            }
        }

        @Override
        public Channel channel() {
            return new NioSocketChannel(server, connection);
        }

        @Override
        public void closeConnection() throws IOException {
            connection.close();
        }
    }
}
