package org.joinleaf.tcp.session;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.Winsock2;
import org.junit.Test;

/**
 * Issue 11 item 1 ("every byte a peer can make the gateway hold has a budget"): a connection closed after its last
 * frame (REJECT before admission, LEAVE(WSAECONNABORTED) to an evicted or displaced leaf) leaves no timer behind that
 * keeps the closed channel reachable, yet a peer that never reads is still closed at the grace.
 */
public class GraceTimerTest {

    @Test
    public void rejectedConnectionClosedOnceWrittenLeavesNoTimer() {
        EmbeddedChannel ch = new EmbeddedChannel();
        PeerChannelHandler.rejectAndClose(ch, Winsock2.WSAECONNREFUSED);
        assertFalse("closed once the REJECT is written", ch.isOpen());
        // Before the fix the 1 s grace stayed queued (and held the channel) until it fired.
        assertEquals("no scheduled task left for a closed channel", -1, ch.runScheduledPendingTasks());
        ch.finishAndReleaseAll();
    }

    @Test
    public void peerThatNeverTakesTheLastFrameIsClosedAtTheGrace() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                // the kernel never takes it: the promise stays pending
            }
        });
        PeerChannelHandler.writeAndClose(ch, "LEAVE", 2000);
        ch.advanceTimeBy(1999, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertTrue("still within the grace", ch.isOpen());
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertFalse("closed at the grace", ch.isOpen());
        assertEquals(-1, ch.runScheduledPendingTasks());
        ch.finishAndReleaseAll();
    }
}
