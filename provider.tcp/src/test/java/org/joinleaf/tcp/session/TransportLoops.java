package org.joinleaf.tcp.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;

/** Test bridge: the session event loops and connections of a transport, so a test can hold them busy. */
public final class TransportLoops {
    private TransportLoops() {
    }

    public static EventLoopGroup of(TcpTransport transport) {
        return transport.group();
    }

    /**
     * Pins the kernel send buffer of every session connection of {@code transport} to {@code bytes} (no autotuning),
     * so a test reaches the point where Netty must hold what the kernel cannot take with a small flood. Returns
     * how many connections it pinned.
     */
    public static int pinSendBuffers(TcpTransport transport, int bytes) {
        int pinned = 0;
        for (Channel ch : transport.sessionChannels()) {
            if (ch.isActive()) {
                ch.eventLoop().submit(() -> ch.config().setOption(ChannelOption.SO_SNDBUF, bytes)).syncUninterruptibly();
                pinned++;
            }
        }
        return pinned;
    }
}
