package org.joinleaf.tcp.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The heartbeat's clock (PROTOCOL.md §7): WRITER_IDLE after {@code heartbeatIntervalMillis} without writing (the
 * session handler sends PING), READER_IDLE after {@code heartbeatTimeoutMillis} without reading anything.
 *
 * <p>It measures the peer's silence, never our own back-pressure (issue 11): while we do not read the connection
 * (auto-read off because the application's receive queue is full) the peer's frames, PONGs included, wait in the
 * kernel, so no READER_IDLE is raised then, nor within a timeout after reading resumes. Not sharable.
 */
final class Heartbeat extends IdleStateHandler {
    private final long timeoutNanos;
    /** Event-loop confined: System.nanoTime of the last read request (each resume, and after each read). */
    private long readRequestedAt = System.nanoTime();

    Heartbeat(int intervalMillis, int timeoutMillis) {
        super(timeoutMillis, intervalMillis, 0, TimeUnit.MILLISECONDS);
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    @Override
    public void read(ChannelHandlerContext ctx) throws Exception {
        readRequestedAt = System.nanoTime();
        super.read(ctx);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) throws Exception {
        if (evt.state() == IdleState.READER_IDLE && (!ctx.channel().config().isAutoRead()
                || System.nanoTime() - readRequestedAt < timeoutNanos)) {
            return; // we were not reading: the peer's silence is not measured
        }
        super.channelIdle(ctx, evt);
    }
}
