package org.joinleaf.local;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.ByteBudget;

/**
 * The bytes all receive queues of one provider hold together, never above {@code totalReceiveQueueBytes}. A reliable
 * sender refused because the total was spent is remembered and gets {@code FD_WRITE} when any queue gives bytes
 * back, as a full queue of its own receiver would do.
 */
final class ReceiveBudget {
    private final ByteBudget bytes;
    private final Set<LocalSocket> waiting = new LinkedHashSet<>(); // guarded by itself

    ReceiveBudget(long totalBytes) {
        this.bytes = new ByteBudget(totalBytes);
    }

    /** Takes {@code n} bytes; false, taking nothing, when they do not fit (then {@code sender}, if any, waits). */
    boolean tryCharge(long n, LocalSocket sender) {
        while (!bytes.tryCharge(n)) {
            synchronized (waiting) { // release gives back before it looks here: re-check so no wake-up is lost
                if (!bytes.fits(n)) {
                    if (sender != null) {
                        waiting.add(sender);
                    }
                    return false;
                }
            }
        }
        return true;
    }

    /** Gives {@code bytes} back; waiting senders get {@code FD_WRITE} through {@code out}. */
    void release(long n, Outbox out) {
        if (n == 0) {
            return;
        }
        bytes.release(n);
        List<LocalSocket> wake;
        synchronized (waiting) {
            if (waiting.isEmpty()) {
                return;
            }
            wake = List.copyOf(waiting);
            waiting.clear();
        }
        for (LocalSocket s : wake) {
            out.post(s.upcalls, Winsock2.FD_WRITE_BIT, 0);
        }
    }

    long usedBytes() {
        return bytes.usedBytes();
    }
}
