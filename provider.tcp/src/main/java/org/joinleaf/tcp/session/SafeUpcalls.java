package org.joinleaf.tcp.session;

import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.tcp.session.LimitCounters.PeerEvent;

/**
 * The runtime's upcalls as the provider's event loops call them: whatever an upcall throws (even an Error such as
 * OutOfMemoryError) is counted, summarised in the log and swallowed, so it can neither end a loop nor cut the
 * connection whose frame caused the upcall (issue 11: loops never die).
 */
final class SafeUpcalls implements SocketUpcalls {
    private final SocketUpcalls upcalls;
    private final LimitCounters counters;

    private SafeUpcalls(SocketUpcalls upcalls, LimitCounters counters) {
        this.upcalls = upcalls;
        this.counters = counters;
    }

    /** {@code upcalls} guarded; {@code null} stays {@code null} and a guarded one is not wrapped twice. */
    static SocketUpcalls of(SocketUpcalls upcalls, LimitCounters counters) {
        return upcalls == null || upcalls instanceof SafeUpcalls ? upcalls : new SafeUpcalls(upcalls, counters);
    }

    @Override
    public void post(int fdBit, int errorCode) {
        try {
            upcalls.post(fdBit, errorCode);
        } catch (Throwable t) {
            failed("the upcall posting event bit " + fdBit, t);
        }
    }

    /** Runs an upcall other than {@code post} (a join's completion) the same way. */
    static void run(Runnable upcall, LimitCounters counters, String what) {
        try {
            upcall.run();
        } catch (Throwable t) {
            if (counters != null) {
                counters.peerEvent(PeerEvent.UPCALL_FAILURE, () -> what + " threw " + t + "; ignored");
            }
        }
    }

    private void failed(String what, Throwable t) {
        counters.peerEvent(PeerEvent.UPCALL_FAILURE, () -> what + " threw " + t + "; ignored");
    }
}
