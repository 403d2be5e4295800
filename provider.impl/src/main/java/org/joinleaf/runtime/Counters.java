package org.joinleaf.runtime;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.joinleaf.api.WSAError;
import org.joinleaf.runtime.dto.CountersDTO;

/**
 * Traffic and join counters of one socket or one provider, updated by the threads that make Winsock calls and by
 * provider completions without any lock. Errors are counted by Winsock code; the set of codes is finite, so the map
 * stays bounded.
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

    void sent(int bytes) {
        messagesOut.increment();
        bytesOut.add(bytes);
    }

    void received(int bytes) {
        messagesIn.increment();
        bytesIn.add(bytes);
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
        return bytesIn.sum();
    }

    public long bytesOut() {
        return bytesOut.sum();
    }

    public long messagesIn() {
        return messagesIn.sum();
    }

    public long messagesOut() {
        return messagesOut.sum();
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
