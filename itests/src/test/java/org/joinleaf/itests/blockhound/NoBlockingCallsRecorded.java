package org.joinleaf.itests.blockhound;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** The verdict, last in a {@link BlockHoundSuite}: the classes before it made no blocking call on an event loop. */
public class NoBlockingCallsRecorded {

    @Test // reliability.md threat "blocking on an event loop": 0 blocking calls found under BlockHound
    public void noEventLoopBlockedDuringTheSuite() {
        assertTrue("BlockHound was not installed: run this class inside a BlockHoundSuite", BlockingCalls.isInstalled());
        assertEquals(BlockingCalls.report(), 0, BlockingCalls.count());
    }
}
