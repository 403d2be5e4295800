package org.joinleaf.tcp.session;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.netty.channel.ChannelConfig;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.joinleaf.api.SOCKADDR;
import org.junit.Test;

/** The bounded receive queue's pause/resume of connections (reliability: bounded queues, no stalled session). */
public class InboundQueueTest {
    private static final InboundQueue.Message MESSAGE =
            new InboundQueue.Message(new byte[] {1}, SOCKADDR.of("127.0.0.1", 1));

    /** A channel whose pause (setAutoRead(false)) is held until {@link #drained}, or 500 ms, to widen a race. */
    private static final class SlowPausingChannel extends EmbeddedChannel {
        final CountDownLatch pausing = new CountDownLatch(1);
        final CountDownLatch drained = new CountDownLatch(1);
        private ChannelConfig config; // lazily: the super constructor already asks for it

        @Override
        public ChannelConfig config() {
            if (config == null) {
                config = new DefaultChannelConfig(this) {
                    @Override
                    public ChannelConfig setAutoRead(boolean autoRead) {
                        if (!autoRead) {
                            pausing.countDown();
                            try {
                                drained.await(500, TimeUnit.MILLISECONDS); // bounded either way
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        return super.setAutoRead(autoRead);
                    }
                };
            }
            return config;
        }
    }

    @Test // the connection that fills the queue stops reading; taking half the messages resumes it
    public void fullQueuePausesTheSourceAndHalfDrainedResumesIt() throws Exception {
        InboundQueue q = new InboundQueue(4);
        EmbeddedChannel source = new EmbeddedChannel();
        for (int i = 0; i < 4; i++) {
            q.add(MESSAGE, source);
        }
        assertFalse(source.config().isAutoRead());
        ByteBuffer buffer = ByteBuffer.allocate(8);
        q.take(buffer, null, false);
        assertFalse("3 of 4 still queued", source.config().isAutoRead());
        q.take(buffer.clear(), null, false);
        assertTrue("2 of 4: resumed", source.config().isAutoRead());
        source.finishAndReleaseAll();
    }

    @Test // a resume decided while the event loop is still pausing must land after that pause, not before it
    public void resumeDecidedDuringAPauseIsAppliedAfterIt() throws Exception {
        InboundQueue q = new InboundQueue(4);
        SlowPausingChannel source = new SlowPausingChannel();
        for (int i = 0; i < 3; i++) {
            q.add(MESSAGE, source);
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread eventLoop = new Thread(() -> q.add(MESSAGE, source), "test-event-loop"); // fills the queue: pauses
        eventLoop.start();
        assertTrue(source.pausing.await(5, TimeUnit.SECONDS));
        Thread application = new Thread(() -> {
            try {
                ByteBuffer buffer = ByteBuffer.allocate(8);
                for (int i = 0; i < 3; i++) {
                    q.take(buffer.clear(), null, false);
                }
            } catch (Exception e) {
                failure.set(e);
            } finally {
                source.drained.countDown();
            }
        }, "test-application");
        application.start();
        application.join(5000);
        eventLoop.join(5000);
        assertFalse(application.isAlive() || eventLoop.isAlive());
        assertNull(failure.get());
        assertEquals(1, q.available());
        assertTrue("the connection was left paused for good: it would read nothing more and its heartbeat would"
                + " time out", source.config().isAutoRead());
        source.finishAndReleaseAll();
    }
}
