package org.joinleaf.tcp;

import org.joinleaf.tcp.session.TcpSettings;
import org.joinleaf.tcp.session.TransportChoice;

/**
 * {@link RobustnessTest} on NIO. The default ({@code AUTO}) runs it on epoll where epoll loads, and there decision 45
 * asks the kernel before evicting; on NIO the kernel cannot be asked and decision 38 decides alone: a leaf that stops
 * reading must be evicted at its bound on both.
 */
public class RobustnessNioTest extends RobustnessTest {
    @Override
    TcpSettings.Builder settings() {
        TcpSettings.Builder b = super.settings();
        b.transport = TransportChoice.NIO;
        return b;
    }
}
