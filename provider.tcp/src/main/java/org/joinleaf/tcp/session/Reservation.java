package org.joinleaf.tcp.session;

import java.io.Closeable;
import java.net.InetSocketAddress;

/**
 * A bound server socket of the transport in use, held by a socket that has not listened yet
 * ({@link IoTransport#reserve}); {@link IoTransport#listen} turns it into the listening channel.
 */
interface Reservation extends Closeable {
    /** The address it is bound to (the port chosen, when 0 was asked). */
    InetSocketAddress localAddress();
}
