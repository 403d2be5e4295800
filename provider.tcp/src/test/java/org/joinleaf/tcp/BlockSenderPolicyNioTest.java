package org.joinleaf.tcp;

import org.joinleaf.tcp.session.TcpSettings;
import org.joinleaf.tcp.session.TransportChoice;

/** {@link BlockSenderPolicyTest} on NIO; the default ({@code AUTO}) runs it on epoll where epoll loads. */
public class BlockSenderPolicyNioTest extends BlockSenderPolicyTest {
    @Override
    TcpSettings.Builder settings() {
        TcpSettings.Builder b = super.settings();
        b.transport = TransportChoice.NIO;
        return b;
    }
}
