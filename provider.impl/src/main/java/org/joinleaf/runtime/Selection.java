package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;

import java.util.ArrayList;
import java.util.List;
import org.joinleaf.api.FD_SET;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.TIMEVAL;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.WsaException;

/**
 * {@code select} (issue 13), built on what the event record sees, asked of each socket when the call starts and
 * after every change in the process ({@link ChangePulse}):
 * <ul>
 * <li>readable: a message (or stream bytes) queued, the peer's close reported ({@code recv} then returns 0 or the
 * error at once), or a listener with a request in its backlog ({@code accept} will not block);</li>
 * <li>writable: a connected or joined socket whose peer has not closed, or any connectionless socket, unless its
 * last send would have blocked and the provider has not reported room since (FD_WRITE);</li>
 * <li>except: a non-blocking connect that failed.</li>
 * </ul>
 * {@code select} does not change the blocking mode or the event selection, as in Winsock.
 */
final class Selection {
    private final DescriptorTable table;

    Selection(DescriptorTable table) {
        this.table = table;
    }

    int select(FD_SET readfds, FD_SET writefds, FD_SET exceptfds, TIMEVAL timeout) throws WsaException {
        table.lookupNone();
        if (isEmpty(readfds) && isEmpty(writefds) && isEmpty(exceptfds)) {
            throw new WsaException(WSAEINVAL, "select needs at least one descriptor in readfds, writefds or exceptfds");
        }
        long deadline = deadline(timeout);
        List<SocketRecord> reads = records(readfds);
        List<SocketRecord> writes = records(writefds);
        List<SocketRecord> excepts = records(exceptfds);
        ChangePulse pulse = table.pulse;
        while (true) {
            long seen = pulse.enter();
            try {
                List<SocketRecord> r = ready(reads, Selection::readable);
                List<SocketRecord> w = ready(writes, Selection::writable);
                List<SocketRecord> e = ready(excepts, Selection::failed);
                int n = r.size() + w.size() + e.size();
                if (n > 0 || (deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0)) {
                    rewrite(readfds, r);
                    rewrite(writefds, w);
                    rewrite(exceptfds, e);
                    return n;
                }
                try {
                    pulse.await(seen, deadline);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new WsaException(WSAEINTR, "select was interrupted");
                }
            } finally {
                pulse.leave();
            }
        }
    }

    private static long deadline(TIMEVAL timeout) throws WsaException {
        if (timeout == null) {
            return Long.MAX_VALUE;
        }
        if (timeout.tv_sec < 0 || timeout.tv_usec < 0) {
            throw new WsaException(WSAEINVAL, "the timeout must not be negative (tv_sec " + timeout.tv_sec
                    + ", tv_usec " + timeout.tv_usec + ")");
        }
        return System.nanoTime() + timeout.tv_sec * 1_000_000_000L + timeout.tv_usec * 1_000L;
    }

    private static boolean isEmpty(FD_SET set) {
        return set == null || set.fd_count == 0;
    }

    /** WSAENOTSOCK for anything in a set that is not a live socket of this process; WSAEFAULT for a broken set. */
    private List<SocketRecord> records(FD_SET set) throws WsaException {
        List<SocketRecord> out = new ArrayList<>();
        if (set == null) {
            return out;
        }
        if (set.fd_count < 0 || set.fd_count > FD_SETSIZE) {
            throw new WsaException(WSAEFAULT, "fd_count " + set.fd_count + " is outside 0.." + FD_SETSIZE);
        }
        for (int i = 0; i < set.fd_count; i++) {
            out.add(table.lookup(set.fd_array[i]));
        }
        return out;
    }

    private interface Test {
        boolean ready(SocketRecord r);
    }

    private static List<SocketRecord> ready(List<SocketRecord> records, Test test) {
        List<SocketRecord> out = new ArrayList<>();
        for (SocketRecord r : records) {
            if (test.ready(r)) {
                out.add(r);
            }
        }
        return out;
    }

    private static void rewrite(FD_SET set, List<SocketRecord> ready) {
        if (set == null) {
            return;
        }
        FD_ZERO(set);
        for (SocketRecord r : ready) {
            FD_SET(r.handle, set);
        }
    }

    static boolean readable(SocketRecord r) {
        ProviderSocket t = r.transport();
        if (t == null || r.state() == SocketState.JOINING) {
            return false;
        }
        if (r.closeError() >= 0 || r.state().isGone() || r.hasPartial()) {
            return true;
        }
        return t.available() > 0 || (t.isListening() && t.pendingRequest() != null);
    }

    static boolean writable(SocketRecord r) {
        if (r.transport() == null || r.closeError() >= 0 || r.isSendBlocked()) {
            return false;
        }
        SocketState state = r.state();
        if (state == SocketState.JOINING || state == SocketState.CONNECTING || state.isGone()) {
            return false;
        }
        return DatagramConnect.isConnectionless(r.entry.info) || state == SocketState.CONNECTED
                || state == SocketState.JOINED;
    }

    static boolean failed(SocketRecord r) {
        return r.connectFailure() != 0;
    }
}
