package org.joinleaf.runtime;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.joinleaf.api.WSAError;
import org.joinleaf.runtime.dto.CountersDTO;

/**
 * Traffic and join counters of one socket or one provider, updated by the threads that make Winsock calls and by
 * provider completions without any lock. Errors are counted by Winsock code; the set of codes is finite, so the map
 * stays bounded. A provider's traffic is what its sockets counted ({@link SocketTraffic}, summed on read) plus what
 * closed sockets folded in here.
 */
public final class Counters {
    private final LongAdder joinsAttempted = new LongAdder();
    private final LongAdder joinsAccepted = new LongAdder();
    private final LongAdder joinsRefused = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder messagesIn = new LongAdder();
    private final LongAdder messagesOut = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final Map<Integer, LongAdder> errors = new ConcurrentHashMap<>();
    /** The sockets counting traffic now; with their fold marks, guarded by this set. */
    private final Set<SocketTraffic> live = new HashSet<>();

    void joinAttempted() {
        joinsAttempted.increment();
    }

    /** A join (leaf side or root side) ended: accepted with 0, refused or failed with its code. */
    void joinEnded(int code) {
        if (code == 0) {
            joinsAccepted.increment();
        } else {
            joinsRefused.increment();
            error(code);
        }
    }


    /** A socket's first count, or a count after its close ({@link SocketTraffic#settle}). */
    void settle(SocketTraffic t) {
        synchronized (live) {
            if (t.state == SocketTraffic.NEW) {
                live.add(t);
                t.state = SocketTraffic.LIVE;
            } else if (t.state == SocketTraffic.CLOSED) {
                fold(t);
            }
        }
    }

    void close(SocketTraffic t) {
        synchronized (live) {
            if (t.state != SocketTraffic.CLOSED) {
                live.remove(t);
                t.state = SocketTraffic.CLOSED;
                fold(t);
            }
        }
    }

    /** Adds what {@code t} counted since its last fold (caller holds the lock of {@link #live}). */
    private void fold(SocketTraffic t) {
        long mi = t.messagesIn();
        long bi = t.bytesIn();
        long mo = t.messagesOut();
        long bo = t.bytesOut();
        messagesIn.add(mi - t.foldedMessagesIn);
        bytesIn.add(bi - t.foldedBytesIn);
        messagesOut.add(mo - t.foldedMessagesOut);
        bytesOut.add(bo - t.foldedBytesOut);
        t.foldedMessagesIn = mi;
        t.foldedBytesIn = bi;
        t.foldedMessagesOut = mo;
        t.foldedBytesOut = bo;
    }

    /** {@code kept} plus the live sockets' counts, read under the lock a close folds under (no count twice). */
    private long traffic(LongAdder kept, ToLongFunction<SocketTraffic> count) {
        synchronized (live) {
            long n = kept.sum();
            for (SocketTraffic t : live) {
                n += count.applyAsLong(t);
            }
            return n;
        }
    }

    /** The provider aborted the socket's membership ({@code FD_CLOSE} with {@code WSAECONNABORTED}). */
    void evicted() {
        evictions.increment();
    }

    void error(int code) {
        errors.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    public long joinsAttempted() {
        return joinsAttempted.sum();
    }

    public long joinsAccepted() {
        return joinsAccepted.sum();
    }

    public long joinsRefused() {
        return joinsRefused.sum();
    }

    public long bytesIn() {
        return traffic(bytesIn, SocketTraffic::bytesIn);
    }

    public long bytesOut() {
        return traffic(bytesOut, SocketTraffic::bytesOut);
    }

    public long messagesIn() {
        return traffic(messagesIn, SocketTraffic::messagesIn);
    }

    public long messagesOut() {
        return traffic(messagesOut, SocketTraffic::messagesOut);
    }

    public long evictions() {
        return evictions.sum();
    }

    /** A snapshot for operators. */
    public CountersDTO dto() {
        CountersDTO d = new CountersDTO();
        d.joinsAttempted = joinsAttempted();
        d.joinsAccepted = joinsAccepted();
        d.joinsRefused = joinsRefused();
        d.bytesIn = bytesIn();
        d.bytesOut = bytesOut();
        d.messagesIn = messagesIn();
        d.messagesOut = messagesOut();
        d.evictions = evictions();
        d.errors = errorsByName();
        return d;
    }

    /** Errors by Winsock name ({@code WSAECONNREFUSED}), sorted by name. */
    public Map<String, Long> errorsByName() {
        Map<String, Long> out = new TreeMap<>();
        errors.forEach((code, n) -> out.put(WSAError.nameOf(code), n.sum()));
        return out;
    }
}
