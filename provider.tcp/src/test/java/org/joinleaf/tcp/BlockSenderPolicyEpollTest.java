package org.joinleaf.tcp;

import org.joinleaf.tcp.session.TcpSettings;
import org.junit.Before;

/** {@link BlockSenderPolicyTest} on the native epoll transport (decision 45 changes nothing there); skipped elsewhere. */
public class BlockSenderPolicyEpollTest extends BlockSenderPolicyTest {
    @Override
    TcpSettings.Builder settings() {
        return EpollOnly.pin(super.settings());
    }

    @Before
    public void epollLoads() {
        EpollOnly.assumeLoads();
    }
}
