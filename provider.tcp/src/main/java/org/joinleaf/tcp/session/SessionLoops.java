package org.joinleaf.tcp.session;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.util.concurrent.RejectedExecutionHandlers;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * The provider's event loops: each runs queued tasks (fan-out drains above all) for at most {@link #TASK_QUANTUM_MS}
 * before it reads its sockets again; Netty's default is a second (issue 11, raw-JOIN case: a new member's JOIN
 * waited for it; decision 44). Set here, not through Netty's global system property, so other bundles keep their own.
 */
final class SessionLoops extends MultiThreadIoEventLoopGroup {
    static final long TASK_QUANTUM_MS = 20;

    SessionLoops(int threads, ThreadFactory threadFactory, IoHandlerFactory handlers) {
        super(threads, threadFactory, handlers);
    }

    @Override
    protected IoEventLoop newChild(Executor executor, IoHandlerFactory handlers, Object... args) {
        return new SingleThreadIoEventLoop(this, executor, handlers, Integer.MAX_VALUE,
                RejectedExecutionHandlers.reject(), TASK_QUANTUM_MS);
    }
}
