package org.joinleaf.runtime;

import org.joinleaf.api.WSAEVENT;

/**
 * A manual-reset event object of one process. All events of a process share the process's monitor, so
 * {@code WSAWaitForMultipleEvents} can wait for any or all of them without polling.
 */
final class EventObject implements WSAEVENT {
    private final Object monitor;
    private final long id;
    /** Written under the monitor; read without it by {@link #set} to skip setting a signalled event again. */
    private volatile boolean signalled;
    private boolean closed;

    EventObject(Object monitor, long id) {
        this.monitor = monitor;
        this.id = id;
    }

    void set() {
        if (signalled) { // already set (a reset racing this is as if it came after): nobody to wake
            return;
        }
        synchronized (monitor) {
            if (!closed) {
                signalled = true;
                monitor.notifyAll();
            }
        }
    }

    void reset() {
        synchronized (monitor) {
            signalled = false;
        }
    }

    void close() {
        synchronized (monitor) {
            closed = true;
            signalled = false;
            monitor.notifyAll();
        }
    }

    /** Caller holds the monitor. */
    boolean isSignalled() {
        return signalled;
    }

    /** Caller holds the monitor. */
    boolean isClosed() {
        return closed;
    }

    boolean belongsTo(Object processMonitor) {
        return monitor == processMonitor;
    }

    @Override
    public String toString() {
        return "WSAEVENT(" + id + ")";
    }
}
