package org.joinleaf.tcp.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import java.io.IOException;
import java.net.InetAddress;

/**
 * A connection the accepting thread took from the kernel, not yet a Netty channel: that channel is built on the
 * session loop that will own it ({@link IoTransport#listen}).
 */
interface AcceptedConnection {
    /** The peer's address; null when the connection is already gone. Accepting thread. */
    InetAddress source();

    /** The transport's channel around this connection (may fail with a {@link ChannelException}). */
    Channel channel();

    /** Closes the bare connection. */
    void closeConnection() throws IOException;

    /** On the owning session loop: the connection's channel, or null (connection closed) when none can be made. */
    default Channel newChannel() {
        try {
            return channel();
        } catch (ChannelException e) {
            close();
            return null;
        }
    }

    /** Closes the connection without a channel (a refusal on the accepting thread). */
    default void close() {
        try {
            closeConnection();
        } catch (IOException e) {
            // nothing else to release
        }
    }
}
