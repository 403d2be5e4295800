package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;

/**
 * The network event record of one socket (§4): its {@code WSAEventSelect} selection, the events recorded since the
 * application last read them, and every rule of when an event is recorded again (re-armed). Each re-arm rule is a
 * method named for the call that consumes the event; no other class decides one.
 * <ul>
 * <li>an event is recorded only if selected and armed; recording disarms it and signals the event object;</li>
 * <li>{@code FD_READ}, {@code FD_ACCEPT} are level-triggered: re-armed by each receive or accept call, and
 * reported again at once while data or requests are still queued;</li>
 * <li>{@code FD_WRITE} is re-armed by a send that would block;</li>
 * <li>{@code FD_QOS} is re-armed by {@code SIO_GET_QOS} and once read; unread changes merge (decisions 19);</li>
 * <li>{@code FD_CONNECT} and {@code FD_CLOSE} are recorded once, ever, except that each join, connect or
 * invitation reports its own completion (R15, R22), and "once" means once read: a re-selection before the
 * application read them records them again.</li>
 * </ul>
 * Not thread-safe: guarded by the lock of the {@link SocketRecord} that owns it. The event object is signalled by
 * the caller, outside that lock.
 */
final class EventRecord {
    private static final int ONCE_ONLY = FD_CONNECT | FD_CLOSE;
    /** {@link #readState}: FD_READ is armed (recorded at the next report). */
    static final int READ_ARMED = 0;
    /** {@link #readState}: FD_READ is recorded, unread, without an error: recording it again changes nothing. */
    static final int READ_RECORDED = 1;
    /** {@link #readState}: FD_READ is disarmed otherwise (read by the application, or recorded with an error). */
    static final int READ_OTHER = 2;

    /** Read without the lock, to signal a re-report ({@link SocketRecord#afterReceive}). */
    private volatile EventObject event;
    /** What {@link #readState} says; written under the owner's lock at each change, read without it. */
    private volatile int read = READ_ARMED;
    private int mask;
    private int recorded;
    private final int[] errors = new int[FD_MAX_EVENTS];
    private int disarmed;
    /** FD_CONNECT/FD_CLOSE already handed to the application by WSAEnumNetworkEvents: never recorded again. */
    private int reportedOnce;

    /** The record of a socket made from this one: same event object and mask (R26, §4), nothing recorded. */
    EventRecord inherited() {
        EventRecord child = new EventRecord();
        child.event = event;
        child.mask = mask;
        return child;
    }

    /** Records {@code fdBit} if selected and armed; returns the event object to signal, or null. */
    EventObject record(int fdBit, int errorCode) {
        int m = 1 << fdBit;
        if (m == FD_QOS && (mask & m) != 0 && (recorded & m) != 0) {
            if (errorCode != 0) { // decisions 19: unread changes are one FD_QOS; a failure code is never lost
                errors[fdBit] = errorCode;
            }
            return null;
        }
        if ((mask & m) == 0 || (disarmed & m) != 0) {
            return null;
        }
        recorded |= m;
        errors[fdBit] = errorCode;
        disarmed |= m;
        updateRead();
        return event;
    }

    /** {@code WSAEventSelect}: replaces the association and clears the record. */
    void select(EventObject newEvent, int newMask) {
        event = newEvent;
        mask = newMask;
        recorded = 0;
        // "Recorded once" means reported once: a close recorded under the old selection but cleared here before
        // WSAEnumNetworkEvents read it is a standing condition, recorded again for the new selection.
        disarmed = reportedOnce;
        updateRead();
    }

    /** {@code WSAEnumNetworkEvents}: the events recorded so far, cleared in the same step. */
    int take(int[] errorsOut) {
        int events = recorded;
        for (int bit = 0; bit < FD_MAX_EVENTS; bit++) {
            if ((events & (1 << bit)) != 0) {
                errorsOut[bit] = errors[bit];
            }
        }
        recorded = 0;
        reportedOnce |= events & ONCE_ONLY;
        disarmed &= ~(events & FD_QOS); // decisions 19: once read, a further QoS change is reported again
        updateRead();
        return events;
    }

    boolean hasSelection() {
        return mask != 0;
    }

    /** A receive call: FD_READ is recorded again at the next arrival (or at once, see {@link SocketRecord}). */
    void afterReceive() {
        rearm(FD_READ_BIT);
    }

    /** An accept call that took, refused or found no request. */
    void afterAcceptCall() {
        rearm(FD_ACCEPT_BIT);
    }

    /** A send that would block: FD_WRITE is recorded when room returns. */
    void afterSendWouldBlock() {
        rearm(FD_WRITE_BIT);
    }

    /** {@code SIO_GET_QOS}: FD_QOS is recorded at the next change. */
    void afterGetQos() {
        rearm(FD_QOS_BIT);
    }

    /** A join, connect or invitation starts: its completion is reported even if an earlier one was (R15, R22). */
    void newOperation() {
        disarmed &= ~FD_CONNECT;
        reportedOnce &= ~FD_CONNECT;
    }

    private void rearm(int fdBit) {
        disarmed &= ~(1 << fdBit);
        updateRead();
    }

    /**
     * FD_READ's arming at a glance, without the owner's lock (decision 54): a receive call that finds it
     * {@link #READ_ARMED} with nothing left, or {@link #READ_RECORDED} with data left, would change nothing by
     * re-arming and recording, so it takes no lock.
     */
    int readState() {
        return read;
    }

    /** The event object, read without the lock: a re-report that changed nothing still signals it. */
    EventObject event() {
        return event;
    }

    private void updateRead() {
        read = (disarmed & FD_READ) == 0 ? READ_ARMED
                : (recorded & FD_READ) != 0 && errors[FD_READ_BIT] == 0 ? READ_RECORDED : READ_OTHER;
    }
}
