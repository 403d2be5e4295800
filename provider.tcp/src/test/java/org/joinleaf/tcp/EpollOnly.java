package org.joinleaf.tcp;

import static org.junit.Assume.assumeTrue;

import org.joinleaf.tcp.session.IoTransports;
import org.joinleaf.tcp.session.TcpSettings;
import org.joinleaf.tcp.session.TransportChoice;

/** Pins a fixture to the native epoll transport where it loads; the test skips elsewhere. */
final class EpollOnly {
    private EpollOnly() {
    }

    /** {@code b} on epoll where it loads (NIO elsewhere, so the provider starts and {@link #assumeLoads} skips). */
    static TcpSettings.Builder pin(TcpSettings.Builder b) {
        b.transport = IoTransports.epollUnavailable() == null ? TransportChoice.EPOLL : TransportChoice.NIO;
        return b;
    }

    static void assumeLoads() {
        assumeTrue("skipped: the native epoll transport does not load here: " + IoTransports.epollUnavailable(),
                IoTransports.epollUnavailable() == null);
    }
}
