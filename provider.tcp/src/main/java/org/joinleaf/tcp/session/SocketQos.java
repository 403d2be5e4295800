package org.joinleaf.tcp.session;

import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.joinleaf.api.FLOWSPEC;
import org.joinleaf.api.QOS;
import org.joinleaf.api.Winsock2;
import org.joinleaf.qos.FlowGrant;
import org.joinleaf.qos.QosService;
import org.joinleaf.qos.Shaper;
import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.spi.WsaException;

/**
 * The flowspec QoS of one socket (§5, decisions 10): its {@link FlowGrant} from the {@link QosService}, the
 * {@code SIO_SET_QOS}/{@code SIO_GET_QOS} ioctls, {@code FD_QOS} once per change, and the token-bucket pacing of its
 * sends.
 *
 * <p>Rules:
 * <ul>
 * <li>A socket created on an entry without {@code XP1_QOS_SUPPORTED} has no QoS: {@code lpSQOS} (which the runtime
 * only lets through as best effort) is ignored, the ioctls fail with {@code WSAENOPROTOOPT}, sends are not paced.</li>
 * <li>{@code SIO_SET_QOS} before a join admits the flow at once, judged as {@code JL_BOTH}; the join's
 * {@code lpSQOS} then replaces it, judged with the join's direction (R33, R34, conformance 51). A {@code NULL}
 * {@code lpSQOS} keeps it. Later {@code SIO_SET_QOS} calls renegotiate atomically.</li>
 * <li>A refusal is {@code WSAEOPNOTSUPP}, synchronous, and changes nothing (the old flow stays in effect).</li>
 * <li>The grant is released when the socket closes or its session ends, whichever comes first.</li>
 * <li>Pacing: a send takes its message length in tokens, in chunks of at most the bucket size. When the tokens are
 * short it fails with {@code WSAEWOULDBLOCK} and an {@code FD_WRITE} is scheduled for when they are back (never a
 * sleep); a blocking send is retried by the runtime on that post. Chunks already paid for a message larger than
 * the bucket stay credited to the socket's next send, so a retry of the same message continues where it stopped.</li>
 * </ul>
 * Thread-safe; never blocks; never posts while holding its monitor.
 */
final class SocketQos {
    private final Supplier<QosService> services;
    private final String scope;
    private final SocketUpcalls upcalls;
    private final EventExecutorGroup timers;
    private int direction;
    private volatile FlowGrant grant;
    private boolean ended;
    /** Tokens already taken for bytes not yet sent; at most one message. */
    private long credit;
    private ScheduledFuture<?> wake;

    /**
     * @param services  the QoS service of the moment (read once per operation), or {@code null} when the socket's
     *                  catalog entry does not advertise {@code XP1_QOS_SUPPORTED}
     * @param direction the socket's {@code JL_*} direction until a join says otherwise
     * @param timers    where token wake-ups run: not the session loops, which a flood keeps busy (issue 14)
     */
    SocketQos(Supplier<QosService> services, String scope, SocketUpcalls upcalls, EventExecutorGroup timers,
              int direction) {
        this.services = services;
        this.scope = scope;
        this.upcalls = upcalls;
        this.timers = timers;
        this.direction = direction;
    }

    /** Answers {@code SIO_SET_QOS} and {@code SIO_GET_QOS}; false for any other code. */
    boolean ioctl(int code, Object in, Object out) throws WsaException {
        if (code != Winsock2.SIO_SET_QOS && code != Winsock2.SIO_GET_QOS) {
            return false;
        }
        if (services == null) {
            throw new WsaException(Winsock2.WSAENOPROTOOPT, "this socket's catalog entry has no XP1_QOS_SUPPORTED;"
                    + " create the socket on a QoS entry of this provider (present while provider.qos runs)");
        }
        if (code == Winsock2.SIO_SET_QOS) {
            if (!(in instanceof QOS)) {
                throw new WsaException(Winsock2.WSAEFAULT, "SIO_SET_QOS takes a QOS input");
            }
            change((QOS) in, null);
        } else {
            if (!(out instanceof QOS)) {
                throw new WsaException(Winsock2.WSAEFAULT, "SIO_GET_QOS takes a QOS output");
            }
            copy(inEffect(), (QOS) out);
        }
        return true;
    }

    /**
     * A join's {@code lpSQOS} (R33): admits or renegotiates it with the join's direction; {@code null} keeps what
     * {@code SIO_SET_QOS} set. Called before the join goes on the wire, so a refusal fails the join synchronously.
     */
    void join(QOS requested, int joinDirection) throws WsaException {
        if (services == null || requested == null) {
            synchronized (this) {
                direction = joinDirection;
            }
            return; // no QoS entry: the runtime let only best effort through, which is what we give anyway
        }
        change(requested, joinDirection);
    }

    /** The QoS in effect: the grant's, or best effort both ways when none was asked. */
    private QOS inEffect() {
        FlowGrant g = grant;
        if (g != null) {
            return g.qos();
        }
        QOS none = new QOS();
        none.SendingFlowspec.ServiceType = Winsock2.SERVICETYPE_BESTEFFORT;
        none.ReceivingFlowspec.ServiceType = Winsock2.SERVICETYPE_BESTEFFORT;
        return none;
    }

    private void change(QOS requested, Integer newDirection) throws WsaException {
        QOS before;
        synchronized (this) {
            if (ended) {
                throw new WsaException(Winsock2.WSAECONNRESET, "this socket's session ended; its QoS is released");
            }
            before = inEffect();
            int dir = newDirection == null ? direction : newDirection;
            if (grant == null) {
                QosService service = services.get();
                if (service == null) {
                    throw new WsaException(Winsock2.WSAEOPNOTSUPP, "no QoS service is running (provider.qos"
                            + " stopped); join without lpSQOS or start provider.qos");
                }
                grant = service.admit(scope, requested, dir);
            } else {
                grant.renegotiate(requested, dir);
            }
            direction = dir;
        }
        if (!before.equals(inEffect())) {
            upcalls.post(Winsock2.FD_QOS_BIT, 0); // §5: once per change; SIO_GET_QOS re-arms it
        }
    }

    /**
     * Takes {@code length} tokens for a send, or fails with {@code WSAEWOULDBLOCK} having scheduled an
     * {@code FD_WRITE} for when tokens are back. Free for an unshaped flow.
     */
    void pay(int length) throws WsaException {
        FlowGrant g = grant;
        if (g == null || g.shaper().isUnlimited()) {
            return;
        }
        Shaper shaper = g.shaper();
        long wait;
        boolean schedule;
        synchronized (this) {
            long now = System.nanoTime();
            wait = 0;
            while (credit < length && wait == 0) {
                int chunk = (int) Math.min(length - credit, shaper.maxAcquire());
                wait = shaper.tryAcquire(chunk, now);
                if (wait == 0) {
                    credit += chunk;
                }
            }
            if (wait == 0) {
                credit -= length;
                return;
            }
            schedule = wake == null && !ended;
            if (schedule) {
                wake = scheduleWake(wait);
            }
        }
        throw new WsaException(Winsock2.WSAEWOULDBLOCK, "the sending flowspec's token bucket is empty for another "
                + TimeUnit.NANOSECONDS.toMicros(wait) + " us (shaping to TokenRate); wait for FD_WRITE");
    }

    /** Netty's schedule() only enqueues a timer: safe under the monitor. */
    private ScheduledFuture<?> scheduleWake(long nanos) {
        try {
            return timers.schedule(this::tokensBack, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            return null; // the provider is stopping: every socket is being closed
        }
    }

    private void tokensBack() {
        synchronized (this) {
            wake = null;
            if (ended) {
                return;
            }
        }
        upcalls.post(Winsock2.FD_WRITE_BIT, 0);
    }

    /** The socket closed or its session ended: returns the capacity (idempotent). */
    void release() {
        FlowGrant g;
        synchronized (this) {
            ended = true;
            g = grant;
            if (wake != null) {
                wake.cancel(false);
                wake = null;
            }
        }
        if (g != null) {
            g.release();
        }
    }

    private static void copy(QOS from, QOS to) {
        to.SendingFlowspec = new FLOWSPEC(from.SendingFlowspec);
        to.ReceivingFlowspec = new FLOWSPEC(from.ReceivingFlowspec);
        to.ProviderSpecific = from.ProviderSpecific;
    }
}
