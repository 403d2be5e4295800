package org.joinleaf.tcp.session;

import io.netty.channel.Channel;
import java.net.InetAddress;

/**
 * A connection the accepting thread took from the kernel, not yet a Netty channel: that channel is built on the
 * session loop that will own it ({@link IoTransport#listen}).
 */
interface AcceptedConnection {
    /** The peer's address; null when the connection is already gone. Accepting thread. */
    InetAddress source();

    /** On the owning session loop: the connection's channel, or null (connection closed) when none can be made. */
    Channel newChannel();

    /** Closes the connection without a channel (a refusal on the accepting thread). */
    void close();
}
