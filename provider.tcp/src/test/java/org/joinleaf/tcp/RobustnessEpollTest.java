package org.joinleaf.tcp;

import org.joinleaf.tcp.session.TcpSettings;
import org.junit.Before;

/**
 * {@link RobustnessTest} on the native epoll transport, where decision 45 asks the kernel before evicting: a leaf that
 * stops reading must still be evicted for its backlog (its window is closed), not held back as a flow in flight.
 * Skipped where epoll does not load.
 */
public class RobustnessEpollTest extends RobustnessTest {
    @Override
    TcpSettings.Builder settings() {
        return EpollOnly.pin(super.settings());
    }

    @Before
    public void epollLoads() {
        EpollOnly.assumeLoads();
    }
}
