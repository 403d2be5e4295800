package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;

import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSAError;
import org.joinleaf.runtime.dto.SocketDTO;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.spi.WsaException;

/**
 * Everything the runtime knows about one descriptor: its provider transport, blocking mode, {@link EventRecord}
 * (§4), join state (§3) and liveness. It is also the {@link SocketUpcalls} its provider reports through; what is
 * recorded and re-armed is decided by its {@link EventRecord}. Every report wakes threads blocked on this socket,
 * which then retry their non-blocking provider call.
 * Lock order: this record, then the process's event monitor (or the provider's {@link Counters}). The provider is never called under this lock.
 * The fields every data call reads ({@code state}, {@code transport}, {@code direction}, blocking mode, the change
 * count, the selected events) are written under the lock and volatile, so those reads take no lock: a send or
 * receive locks this record only to re-arm an event it selected.
 */
final class SocketRecord implements SocketUpcalls {

    final SOCKET handle;
    final CatalogEntry entry;
    final int flags;
    /** The c_root whose accept or invitation made this c_leaf (its session, §1.5), or null. */
    final SOCKET root;
    final SocketCounters counters;
    /** The options set with setsockopt, for getsockopt and the runtime's own (timeouts). */
    final OptionValues options = new OptionValues();
    private final ChangePulse pulse;

    private volatile ProviderSocket transport;
    private boolean transportClosed;
    private volatile boolean nonBlocking;
    private EventRecord events = new EventRecord();
    private int closeError = -1;
    private volatile long changes;
    private volatile SocketState state = SocketState.OPEN;
    /** The events {@code WSAEventSelect} selected (the {@link EventRecord}'s mask, for lock-free checks). */
    private volatile int selected;
    /** Where a join or connect started from: where a refused one returns (R22). */
    private SocketState beforeOperation = SocketState.OPEN;
    /** The JL_* direction of the join that made this socket a member (decisions 6), or 0. */
    private volatile int direction;
    private RootInvitation pendingInvitation;
    /** The join or connect whose target this record is, while {@link SocketState#isPending()}. */
    private JoinOperation operation;
    private int soError;
    /** The last point-to-point connect failed (select's exceptfds); cleared when another starts. */
    private int connectFailure;
    /** What a WSARecv with MSG_PARTIAL left of a message, handed out first by the next WSARecv. */
    private volatile PartialMessage partial;
    /** A send failed with WSAEWOULDBLOCK and no FD_WRITE came since: select does not call the socket writable. */
    private boolean sendBlocked;
    /** The requests WSAAccept calls on this listening socket are deciding; made by the first accept. */
    private AcceptClaims acceptClaims;

    SocketRecord(SOCKET handle, CatalogEntry entry, int flags, ChangePulse pulse) {
        this(handle, entry, flags, null, pulse);
    }

    private SocketRecord(SOCKET handle, CatalogEntry entry, int flags, SOCKET root, ChangePulse pulse) {
        this.handle = handle;
        this.pulse = pulse;
        this.entry = entry;
        this.flags = flags;
        this.root = root;
        this.counters = new SocketCounters(entry.registration.counters);
    }

    /** A record standing for a socket made from {@code parent}: same event selection and blocking mode (R26, §4). */
    SocketRecord inheriting(SOCKET newHandle, int newFlags) {
        SOCKET root = SocketKind.isControlRoot(flags) ? handle : null; // a c_root's accepts and invitations
        SocketRecord child = new SocketRecord(newHandle, entry, newFlags, root, pulse);
        synchronized (this) {
            child.nonBlocking = nonBlocking;
            child.events = events.inherited();
            child.selected = selected;
        }
        return child;
    }

    // ---- provider upcalls ----

    @Override
    public void post(int fdBit, int errorCode) {
        if (raise(fdBit, errorCode, false) && errorCode == WSAECONNABORTED) {
            counters.evicted(); // the provider aborted the member: an eviction, counted once per socket
        }
    }

    /**
     * Records a network event. Provider reports are dropped once the provider left ({@code fromRuntime} false);
     * the runtime's own reports (FD_CONNECT, FD_CLOSE with WSAENETDOWN) are not. True for the first FD_CLOSE.
     */
    boolean raise(int fdBit, int errorCode, boolean fromRuntime) {
        if (fdBit < 0 || fdBit >= FD_MAX_EVENTS) {
            return false;
        }
        boolean firstClose = false;
        EventObject toSignal;
        synchronized (this) {
            // Once the provider's registration is gone (set before any process is told), its reports are moot:
            // closing one socket makes it report on others, and that must not beat FD_CLOSE/WSAENETDOWN in any
            // process (decisions 12).
            if (state == SocketState.CLOSED
                    || ((state == SocketState.DOWN || entry.registration.gone) && !fromRuntime)) {
                return false;
            }
            if (fdBit == FD_CLOSE_BIT && closeError < 0) {
                closeError = errorCode;
                firstClose = true;
                if (state == SocketState.CONNECTED || state == SocketState.JOINED) {
                    state = SocketState.PEER_CLOSED;
                }
            }
            if (errorCode != 0) {
                soError = errorCode;
            }
            if (fdBit == FD_WRITE_BIT) {
                sendBlocked = false;
            }
            changes++;
            notifyAll();
            toSignal = events.record(fdBit, errorCode);
        }
        pulse.beat();
        if (toSignal != null) {
            toSignal.set();
        }
        return firstClose;
    }

    // ---- event selection and re-arming (the rules are the EventRecord's) ----

    /**
     * {@code WSAEventSelect}: replaces the association, clears the record, makes the socket non-blocking. The caller
     * then reports the standing conditions ({@link #recordStanding}).
     */
    synchronized void select(EventObject newEvent, int mask) {
        events.select(newEvent, mask);
        selected = mask;
        nonBlocking = true;
    }

    /**
     * §4: an event whose condition already holds when the selection is made is recorded at once. The provider's
     * facts ({@code readable}, {@code acceptable}) are read by the caller after {@link #select}, outside this lock.
     */
    void recordStanding(boolean readable, boolean acceptable) {
        if (readable) {
            raise(FD_READ_BIT, 0, false);
        }
        if (acceptable) {
            raise(FD_ACCEPT_BIT, 0, false);
        }
        int close = closeError();
        if (isConnected() && close < 0) {
            raise(FD_WRITE_BIT, 0, false);
        }
        if (close >= 0) {
            raise(FD_CLOSE_BIT, close, true);
        }
    }

    /** {@code WSAEnumNetworkEvents}: the selected events recorded so far, cleared in the same step. */
    synchronized int takeRecord(int[] errorsOut) {
        return events.take(errorsOut);
    }

    /**
     * A receive call returned; FD_READ is level-triggered, so a message still queued is reported again at once.
     * Exact with one lock (decisions 31): the queue is looked at first, outside the lock, then FD_READ is re-armed
     * and, if the look found a message, recorded again. A message queued after the look is the provider's to post,
     * and its post moves {@link #changes}: if it did before the re-arm (recording nothing, as FD_READ was still
     * disarmed), the count differs from the one read before the look, and the queue is looked at again after the
     * re-arm, as the two-lock order did. Without FD_READ selected this takes no lock, nor when re-arming and
     * recording would change nothing (decision 54): FD_READ still armed and nothing left (a message queued after the
     * look is recorded by its post, as FD_READ is armed), or FD_READ recorded and unread and something left (the
     * call is then as if it ran before whatever changes the record next; the event object is signalled all the
     * same). A drain thus locks once, at its last receive.
     */
    void afterReceive(ProviderSocket t) {
        if ((selected & FD_READ) == 0) {
            return;
        }
        long seen = changes;
        boolean stillQueued = t.available() > 0; // the provider, outside the lock
        int read = events.readState();
        if (read == EventRecord.READ_ARMED && !stillQueued) {
            return;
        }
        if (read == EventRecord.READ_RECORDED && stillQueued) {
            EventObject e = events.event();
            if (e != null && reportsStillQueued()) {
                e.set();
            }
            return;
        }
        EventObject toSignal = null;
        boolean lookAgain;
        synchronized (this) {
            events.afterReceive();
            lookAgain = changes != seen;
            if (!lookAgain && stillQueued && reportsStillQueued()) {
                toSignal = events.record(FD_READ_BIT, 0);
            }
        }
        if (toSignal != null) {
            toSignal.set();
        }
        if (lookAgain && t.available() > 0) {
            reportStillQueued();
        }
    }

    /** As {@link #afterReceive(ProviderSocket)} for a caller that knows whether a message is left. */
    void afterReceive(boolean stillQueued) {
        synchronized (this) {
            events.afterReceive();
        }
        if (stillQueued) {
            reportStillQueued();
        }
    }

    /**
     * FD_READ again for what was already reported: it signals the event object but wakes no blocked caller (nothing
     * changed for them).
     */
    private void reportStillQueued() {
        EventObject toSignal;
        synchronized (this) {
            if (!reportsStillQueued()) {
                return;
            }
            toSignal = events.record(FD_READ_BIT, 0);
        }
        if (toSignal != null) {
            toSignal.set();
        }
    }

    /** A standing FD_READ is still news (volatile reads): not after close or once the provider left. */
    private boolean reportsStillQueued() {
        return state != SocketState.CLOSED && state != SocketState.DOWN && !entry.registration.gone;
    }

    /** An accept call took, refused or found no request; FD_ACCEPT is level-triggered like FD_READ. */
    void afterAcceptCall(boolean stillQueued) {
        synchronized (this) {
            events.afterAcceptCall();
        }
        if (stillQueued) {
            raise(FD_ACCEPT_BIT, 0, false);
        }
    }

    synchronized void afterSendWouldBlock() {
        events.afterSendWouldBlock();
        sendBlocked = true;
    }

    /** True from a send that would block until the provider reports room (FD_WRITE). */
    synchronized boolean isSendBlocked() {
        return sendBlocked;
    }

    synchronized void afterGetQos() {
        events.afterGetQos();
    }

    /** A close that happened before (or without) registration, to record when the socket is selected again. */
    synchronized int closeError() {
        return closeError;
    }

    // ---- blocking ----

    boolean isNonBlocking() {
        return nonBlocking;
    }

    /** {@code FIONBIO}: {@code WSAEINVAL} when turning blocking mode back on while an event selection is active. */
    synchronized void setNonBlocking(boolean value) throws WsaException {
        if (!value && events.hasSelection()) {
            throw new WsaException(WSAEINVAL, "WSAEventSelect is active on " + handle
                    + "; call WSAEventSelect(s, NULL, 0) before switching back to blocking mode");
        }
        nonBlocking = value;
    }

    long changes() {
        return changes;
    }

    /** Waits until the provider reports anything after {@code seen}, the socket closes, or the provider leaves. */
    void awaitChange(long seen) throws WsaException {
        awaitChange(seen, 0, null);
    }

    /**
     * As {@link #awaitChange(long)}, but at most {@code timeoutMillis} after {@code sinceNanos} (0: no limit):
     * {@code SO_RCVTIMEO}/{@code SO_SNDTIMEO} end the wait with {@code WSAETIMEDOUT}.
     */
    synchronized void awaitChange(long seen, int timeoutMillis, String what) throws WsaException {
        long deadline = timeoutMillis == 0 ? 0 : System.nanoTime() + timeoutMillis * 1_000_000L;
        try {
            while (changes == seen && !state.isGone()) {
                if (deadline == 0) {
                    wait();
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new WsaException(WSAETIMEDOUT, what + " on " + handle + " timed out after " + timeoutMillis
                            + " ms (" + (what.startsWith("recv") ? "SO_RCVTIMEO" : "SO_SNDTIMEO") + ")");
                }
                wait(Math.max(1, left / 1_000_000L));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WsaException(WSAEINTR, "the blocking call on " + handle + " was interrupted");
        }
        checkAlive();
    }

    // ---- state ----

    /** The transport, once the provider created it (a root join's new c_leaf gets it when the provider answers). */
    ProviderSocket transport() {
        return transport;
    }

    /** Sets the transport; false when the descriptor was closed meanwhile (the caller then closes the transport). */
    synchronized boolean attach(ProviderSocket t) {
        if (state.isGone()) {
            return false;
        }
        transport = t;
        return true;
    }

    /** {@code WSAENOTSOCK} after closesocket (a race with lookup), {@code WSAENETDOWN} once the provider left. */
    void checkAlive() throws WsaException {
        SocketState now = state;
        if (now == SocketState.CLOSED) {
            throw new WsaException(WSAENOTSOCK, handle + " was closed");
        }
        if (now == SocketState.DOWN) {
            throw new WsaException(WSAENETDOWN, "the provider of " + handle + " ('" + entry.registration.name
                    + "') left the catalog; close the socket and create a new one");
        }
    }

    /**
     * What a failed transport call reports: {@code WSAENETDOWN} once the provider has left, whatever the closing
     * transport said (a call already inside the provider when it stopped sees its socket closed under it); otherwise
     * {@code e} (decisions 12).
     */
    synchronized WsaException providerFailure(WsaException e) {
        if (state == SocketState.DOWN && e.code() != WSAENETDOWN) {
            return new WsaException(WSAENETDOWN, "the provider of " + handle + " ('" + entry.registration.name
                    + "') left the catalog during the call; close the socket and create a new one");
        }
        return e;
    }

    /** Every call but closesocket on a descriptor whose join is pending fails with {@code WSAENOTCONN} (R25). */
    void checkUsable() throws WsaException {
        checkAlive();
        if (state == SocketState.JOINING) { // (volatile: a join finishing now is seen by the next call)
            throw new WsaException(WSAENOTCONN, "the join on " + handle
                    + " has not finished; wait for FD_CONNECT (or closesocket to cancel it)");
        }
    }

    /** Kind and state for operators (the process, peer and counters are filled in by the caller). */
    synchronized SocketDTO dto() {
        SocketDTO d = new SocketDTO();
        d.handle = handle.value();
        d.kind = !SocketKind.isMultipoint(flags) ? "point-to-point"
                : ((flags & WSA_FLAG_MULTIPOINT_C_ROOT) != 0 ? "c_root" : "c_leaf") + "/"
                        + ((flags & WSA_FLAG_MULTIPOINT_D_ROOT) != 0 ? "d_root" : "d_leaf");
        d.state = state != SocketState.PEER_CLOSED ? state.label
                : state.label + " (" + (closeError == 0 ? "gracefully" : WSAError.nameOf(closeError)) + ")";
        d.root = root == null ? 0 : root.value();
        d.provider = entry.registration.name;
        d.entry = entry.info.szProtocol;
        d.counters = counters.dto();
        return d;
    }

    SocketState state() {
        return state;
    }

    int direction() {
        return direction;
    }

    /** Connected or a member of a session (also after the peer closed): {@code WSAEISCONN} for another connect. */
    synchronized boolean isConnected() {
        return state.isMember();
    }

    synchronized boolean hasPendingOperation() {
        return state == SocketState.CONNECTING;
    }

    synchronized RootInvitation pendingInvitation() {
        return pendingInvitation;
    }

    /** Starts a join or connect whose target is this record; its completion may raise FD_CONNECT once more. */
    synchronized void begin(JoinOperation op) {
        operation = op;
        beforeOperation = state;
        state = op.isJoin ? SocketState.JOINING : SocketState.CONNECTING;
        connectFailure = 0;
        events.newOperation();
    }

    /**
     * A root starts inviting a leaf (R21): FD_CONNECT is "recorded once" per join, so each invitation re-arms it on
     * the root, where its completion is reported (R15).
     */
    synchronized void beginInvitation(RootInvitation invited) {
        pendingInvitation = invited;
        events.newOperation();
    }

    /** Undoes {@link #begin} when the provider refused the request synchronously. */
    synchronized void abandon(JoinOperation op) {
        if (operation == op) {
            operation = null;
            if (state.isPending()) {
                state = beforeOperation;
            }
        }
    }

    synchronized AcceptClaims acceptClaims() {
        if (acceptClaims == null) {
            acceptClaims = new AcceptClaims();
        }
        return acceptClaims;
    }

    /**
     * An accept call released the request it decided: threads blocked on this socket look again (a deferred head is
     * theirs to take now; FD_ACCEPT is not re-enabled by a defer, so no report would wake them).
     */
    synchronized void wakeWaiters() {
        changes++;
        notifyAll();
    }

    /** {@code listen} succeeded. */
    synchronized void listening() {
        if (state == SocketState.OPEN) {
            state = SocketState.LISTENING;
        }
    }

    /** A socket returned by accept: connected at once; a multipoint one is a member (§1.5), and may write. */
    void markAccepted() {
        synchronized (this) {
            state = member(SocketKind.isMultipoint(flags) ? SocketState.JOINED : SocketState.CONNECTED);
        }
        raise(FD_WRITE_BIT, 0, true);
    }

    /** Moves the state machine when an operation whose target is this record finished (R20, R22). */
    synchronized void finish(JoinOperation op, int code) {
        if (operation == op) {
            operation = null;
        }
        if (state.isPending()) { // not when closed or abandoned by its provider meanwhile
            if (code == 0) {
                state = member(op.isJoin ? SocketState.JOINED : SocketState.CONNECTED);
                direction = op.isJoin ? op.direction : direction;
            } else if (op.isJoin) {
                boolean retry = !op.isRootJoin()
                        && (code == WSAECONNREFUSED || code == WSAENETUNREACH || code == WSAETIMEDOUT);
                state = retry ? beforeOperation : SocketState.BROKEN;
            } else {
                state = beforeOperation;
                connectFailure = code;
            }
        }
        changes++;
        notifyAll();
        pulse.beat();
    }

    /** The member state, or PEER_CLOSED when the provider already reported the close (caller holds the lock). */
    private SocketState member(SocketState s) {
        return closeError >= 0 ? SocketState.PEER_CLOSED : s;
    }

    synchronized void invitationFinished(SocketRecord invitedLeaf) {
        if (pendingInvitation != null && pendingInvitation.leaf == invitedLeaf) {
            pendingInvitation = null;
        }
    }

    /** The code of the last failed point-to-point connect, 0 when none failed since the last one started. */
    synchronized int connectFailure() {
        return connectFailure;
    }

    /** Keeps (or with null drops) the rest of a message a MSG_PARTIAL receive did not hand out. */
    synchronized void keepPartial(PartialMessage rest) {
        partial = rest;
    }

    synchronized PartialMessage takePartial() {
        PartialMessage p = partial;
        partial = null;
        return p;
    }

    /** No lock (every recv asks): written under it, volatile. */
    boolean hasPartial() {
        return partial != null;
    }

    /** Bytes of the held message, 0 when none is held. */
    synchronized int partialBytes() {
        return partial == null ? 0 : partial.rest.length;
    }

    /** {@code getsockopt(SO_ERROR)}: the last asynchronous error, cleared by reading it. */
    synchronized int takeSoError() {
        int e = soError;
        soError = 0;
        return e;
    }

    /**
     * closesocket: marks the record closed, wakes blocked callers, and hands back what the caller must cancel and
     * close outside the lock.
     */
    Detached close() {
        synchronized (this) {
            if (state == SocketState.CLOSED) {
                return Detached.NOTHING;
            }
            Detached d = detach();
            state = SocketState.CLOSED;
            changes++;
            notifyAll();
            pulse.beat();
            return d;
        }
    }

    /** The provider left: record {@code FD_CLOSE}/{@code WSAENETDOWN} once and fail everything after (decisions 12). */
    Detached markDown() {
        EventObject toSignal;
        Detached d;
        synchronized (this) {
            if (state.isGone()) {
                return Detached.NOTHING;
            }
            d = detach();
            state = SocketState.DOWN;
            if (closeError < 0) {
                closeError = WSAENETDOWN;
            }
            changes++;
            notifyAll();
            toSignal = events.record(FD_CLOSE_BIT, WSAENETDOWN);
        }
        pulse.beat();
        if (toSignal != null) {
            toSignal.set();
        }
        return d;
    }

    /**
     * Takes the operation in flight away from this record (the caller cancels it). A cancelled join is no longer
     * pending: a record the application may still read (decisions 12, a root that closed) must not answer
     * WSAENOTCONN forever.
     */
    synchronized JoinOperation endPendingJoin() {
        JoinOperation op = operation;
        operation = null;
        if (state == SocketState.JOINING) {
            state = SocketState.BROKEN;
        } else if (state == SocketState.CONNECTING) {
            state = beforeOperation;
        }
        return op;
    }

    private Detached detach() {
        counters.closed(); // (the provider's counters lock is a leaf: taken under this one, it calls nothing)
        JoinOperation op = endPendingJoin();
        ProviderSocket t = transportClosed ? null : transport;
        transportClosed = true;
        return new Detached(op, t);
    }

    boolean isClosed() {
        return state == SocketState.CLOSED;
    }

    /** What a closing or failing record leaves to be cancelled and closed, outside its lock. */
    static final class Detached {
        static final Detached NOTHING = new Detached(null, null);
        final JoinOperation operation;
        final ProviderSocket transport;

        Detached(JoinOperation operation, ProviderSocket transport) {
            this.operation = operation;
            this.transport = transport;
        }
    }

    @Override
    public String toString() {
        return handle.toString();
    }
}
