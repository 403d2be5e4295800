package org.joinleaf.tcp.session;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.joinleaf.api.Winsock2;
import org.junit.Test;

/**
 * Decision 49 with issue 11 item 1 (every byte a peer can make us hold has a budget): what a paused connection holds
 * counts against its own budget and against the provider's {@code maxReceivedBytes}, so many paused connections
 * together cannot hold more than that total.
 */
public class PausedInputTest {

    private static EmbeddedChannel paused(int budget, MemoryBudget total) {
        EmbeddedChannel ch = new EmbeddedChannel(new PausedInput(budget, total));
        ch.config().setAutoRead(false);
        return ch;
    }

    @Test // decision 49: held bytes are charged to the provider's total; past it the connection is closed, charge given back
    public void heldBytesCountAgainstTheProviderTotal() {
        MemoryBudget total = new MemoryBudget("maxReceivedBytes", 100);
        EmbeddedChannel a = paused(1000, total);
        EmbeddedChannel b = paused(1000, total);
        a.writeInbound(Unpooled.wrappedBuffer(new byte[60]));
        assertNull("held, not passed on", a.readInbound());
        assertEquals(60, total.used());
        b.writeInbound(Unpooled.wrappedBuffer(new byte[50])); // each within its own budget, not both within the total
        assertFalse("over the provider's total: closed", b.isActive());
        assertEquals(Integer.valueOf(Winsock2.WSAECONNABORTED), b.attr(PeerChannelHandler.CLOSE_CODE).get());
        assertTrue(a.isActive());
        assertEquals("the closed one held nothing; the other keeps its 60", 60, total.used());
        a.close();
        assertEquals("a closed connection gives its held bytes back", 0, total.used());
    }

    @Test // decision 49: resuming passes the held bytes on, in order, and gives their charge back
    public void resumingPassesHeldBytesOnAndCreditsThem() {
        MemoryBudget total = new MemoryBudget("maxReceivedBytes", 100);
        EmbeddedChannel ch = paused(1000, total);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {1, 2}));
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {3}));
        assertEquals(3, total.used());
        ch.config().setAutoRead(true);
        PausedInput.release(ch);
        ByteBuf first = ch.readInbound();
        ByteBuf second = ch.readInbound();
        assertEquals(2, first.readableBytes());
        assertEquals(3, second.getByte(0));
        first.release();
        second.release();
        assertEquals(0, total.used());
        ch.finishAndReleaseAll();
    }
}
