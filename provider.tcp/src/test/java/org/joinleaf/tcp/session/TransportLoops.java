package org.joinleaf.tcp.session;

import io.netty.channel.EventLoopGroup;

/** Test bridge: the session event loops of a transport, so a test can hold them busy. */
public final class TransportLoops {
    private TransportLoops() {
    }

    public static EventLoopGroup of(TcpTransport transport) {
        return transport.group();
    }
}
