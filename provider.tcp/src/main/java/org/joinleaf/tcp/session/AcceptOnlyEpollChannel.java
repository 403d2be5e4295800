package org.joinleaf.tcp.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ServerChannelRecvByteBufAllocator;
import io.netty.channel.epoll.AbstractEpollServerChannel;
import io.netty.channel.epoll.EpollChannelConfig;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.NativeInetAddress;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The epoll twin of {@link AcceptOnlyServerChannel}: its accepting thread does no more than {@code accept()}, each
 * accepted descriptor goes straight to a {@link AcceptOnlyServerChannel.Sink} and its Netty channel is built on a
 * session loop ({@code EpollSocketChannel(fd)}); Netty's {@code EpollServerSocketChannel} would build it here, on the
 * accepting thread (scorecard 8). A failed accept pauses accepting ({@link AcceptBackoff}).
 */
final class AcceptOnlyEpollChannel extends AbstractEpollServerChannel {
    private final EpollChannelConfig config = new Config(this);
    private final AcceptOnlyServerChannel.Sink<? super Accepted> sink;
    private final InetSocketAddress local;

    /** A connection accepted on the accepting thread: its descriptor and the peer's address. */
    record Accepted(int fd, InetSocketAddress remote) implements AcceptedConnection {
        @Override
        public InetAddress source() {
            return remote == null ? null : remote.getAddress();
        }

        @Override
        public Channel channel() {
            return new EpollSocketChannel(fd);
        }

        @Override
        public void closeConnection() throws IOException {
            new Socket(fd).close();
        }
    }

    /**
     * @param listening a descriptor already bound to {@code local} and listening; this channel owns it from now on
     */
    AcceptOnlyEpollChannel(int listening, InetSocketAddress local,
                           AcceptOnlyServerChannel.Sink<? super Accepted> sink, LimitCounters counters) {
        super(listening);
        this.active = true; // this constructor of Netty's leaves an inherited descriptor inactive
        this.local = local;
        this.sink = sink;
        AcceptBackoff backoff = new AcceptBackoff(this, sink::acceptFailed, counters);
        pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object handedOff) {
                // the connection went to the sink in newChildChannel: Netty's read loop only reports it
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                backoff.acceptFailed(cause); // Netty's read loop reports a failed accept here
            }
        });
    }

    @Override
    public EpollChannelConfig config() {
        return config;
    }

    @Override
    protected SocketAddress localAddress0() {
        return local;
    }

    /** On the accepting thread, for each accepted descriptor: the hand-off; Netty's loop wants a Channel back. */
    @Override
    protected Channel newChildChannel(int fd, byte[] address, int offset, int len) {
        sink.accepted(this, new Accepted(fd, NativeInetAddress.address(address, offset, len)));
        return this;
    }

    private static final class Config extends EpollChannelConfig {
        Config(Channel channel) {
            super(channel, new ServerChannelRecvByteBufAllocator());
        }
    }
}
