package org.joinleaf.tcp.session;

import static org.junit.Assert.assertEquals;

import org.joinleaf.tcp.protocol.FrameCodec;
import org.junit.Test;

/**
 * Issue 14 item 6 / issue 11 item 4 (decision 35's eviction point, RootSocket.relay's bound): in a non-rooted data
 * session a paused relay sender's read in hand may take a target to twice the high water mark plus one message, so
 * the root's own send must not evict there. With one point (twice the mark) for both, the hostile relay flood under
 * epoll had its legitimate leaves evicted by the root's sends at backlogs of 131,073 to 196,613 bytes.
 */
public class RelayEvictionMarkTest {
    private static final int HIGH = 65536;
    private static final int MAX_MESSAGE = 65536;

    @Test
    public void aRelayedSessionEvictsOnlyPastTheRelayBound() {
        long relayBound = 2L * HIGH + FrameCodec.HEADER + MAX_MESSAGE;
        assertEquals(relayBound, RootSocket.evictionMark(HIGH, MAX_MESSAGE, false));
    }

    @Test
    public void aRootedSessionKeepsTwiceTheMark() {
        assertEquals(2L * HIGH, RootSocket.evictionMark(HIGH, MAX_MESSAGE, true));
    }
}
