package org.joinleaf.tcp.session;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.atomic.AtomicInteger;
import org.joinleaf.api.Winsock2;
import org.joinleaf.tcp.protocol.Frame;
import org.joinleaf.tcp.protocol.FrameCodec;
import org.joinleaf.tcp.session.LimitCounters.PeerEvent;
import org.junit.Test;

/**
 * Issue 11, "loops never die": a throwable in a connection's handler, even OutOfMemoryError, aborts that connection
 * only (WSAECONNABORTED), is counted and summarised, and the loop and its other connections go on.
 */
public class HandlerFailureTest {
    /** A session handler whose frames throw what the test gives it. */
    private static final class Throwing extends PeerChannelHandler {
        private final Throwable thrown;
        final AtomicInteger closedWith = new AtomicInteger(-1);
        final AtomicInteger frames = new AtomicInteger();

        Throwing(Throwable thrown) {
            this.thrown = thrown;
        }

        @Override
        void onFrame(ChannelHandlerContext ctx, Frame frame) {
            frames.incrementAndGet();
            if (thrown instanceof Error e) {
                throw e;
            }
            if (thrown instanceof RuntimeException e) {
                throw e;
            }
        }

        @Override
        void onClosed(int code) {
            closedWith.set(code);
        }

        @Override
        boolean admitted() {
            return true;
        }
    }

    private static final Frame.Join JOIN = new Frame.Join(false, FrameCodec.VERSION, Winsock2.JL_BOTH, new byte[0],
            null);

    @Test // issue 11 loops never die: OutOfMemoryError in a handler aborts its connection only, counted
    public void errorInAHandlerAbortsOnlyItsConnection() {
        LimitCounters counters = new LimitCounters();
        Throwing failing = new Throwing(new OutOfMemoryError("injected by the test"));
        failing.useCounters(counters);
        EmbeddedChannel bad = new EmbeddedChannel(failing);
        Throwing healthy = new Throwing(null);
        healthy.useCounters(counters);
        EmbeddedChannel good = new EmbeddedChannel(healthy);

        bad.writeInbound(JOIN);
        bad.runPendingTasks();
        assertFalse("the failing connection is closed", bad.isOpen());
        assertEquals(Winsock2.WSAECONNABORTED, failing.closedWith.get());
        assertEquals(1, counters.count(PeerEvent.HANDLER_FAILURE));

        good.writeInbound(JOIN);
        assertTrue("the other connection goes on", good.isOpen());
        assertEquals(1, healthy.frames.get());
        good.finishAndReleaseAll();
    }

    @Test // issue 11 members held to their join: a LEAVE code outside {0, WSAECONNABORTED} is a violation
    public void leaveWithAnUnlistedCodeIsAViolation() {
        LimitCounters counters = new LimitCounters();
        Throwing member = new Throwing(null);
        member.useCounters(counters);
        EmbeddedChannel ch = new EmbeddedChannel(member);
        ch.writeInbound(new Frame.Leave(Winsock2.WSAENETDOWN));
        ch.runPendingTasks();
        assertFalse(ch.isOpen());
        assertEquals("not the code the peer chose", Winsock2.WSAECONNABORTED, member.closedWith.get());
        assertEquals(1, counters.count(PeerEvent.PROTOCOL_VIOLATION));

        Throwing leaving = new Throwing(null);
        EmbeddedChannel aborted = new EmbeddedChannel(leaving);
        aborted.writeInbound(new Frame.Leave(Winsock2.WSAECONNABORTED));
        aborted.runPendingTasks();
        assertEquals("an abort is one of the codes", Winsock2.WSAECONNABORTED, leaving.closedWith.get());
    }
}
