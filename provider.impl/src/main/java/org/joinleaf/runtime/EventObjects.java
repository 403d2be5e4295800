package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSAEVENT;
import org.joinleaf.api.WSANETWORKEVENTS;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.WsaException;

/**
 * The event objects of one process and the calls that tie sockets to them (§4): {@code WSACreateEvent},
 * {@code WSACloseEvent}, {@code WSASetEvent}, {@code WSAResetEvent}, {@code WSAEventSelect},
 * {@code WSAEnumNetworkEvents} and {@code WSAWaitForMultipleEvents}.
 */
final class EventObjects {
    private static final AtomicLong NEXT_EVENT = new AtomicLong(1);

    private final Set<EventObject> events = ConcurrentHashMap.newKeySet();
    /** The monitor every event object of this process signals; WSAWaitForMultipleEvents waits on it. */
    private final Object monitor = new Object();
    private final Startups startups;
    private final DescriptorTable table;

    EventObjects(Startups startups, DescriptorTable table) {
        this.startups = startups;
        this.table = table;
    }

    WSAEVENT create() throws WsaException {
        startups.check();
        EventObject e = new EventObject(monitor, NEXT_EVENT.getAndIncrement());
        events.add(e);
        return e;
    }

    private EventObject eventOf(WSAEVENT h) throws WsaException {
        startups.check();
        if (!(h instanceof EventObject) || !events.contains(h)) {
            throw new WsaException(WSA_INVALID_HANDLE, "not an open event object of this bundle: " + h);
        }
        return (EventObject) h;
    }

    boolean close(WSAEVENT h) throws WsaException {
        EventObject e = eventOf(h);
        events.remove(e);
        e.close();
        return true;
    }

    boolean set(WSAEVENT h) throws WsaException {
        eventOf(h).set();
        return true;
    }

    boolean reset(WSAEVENT h) throws WsaException {
        eventOf(h).reset();
        return true;
    }

    /** The process ends: every event object is released. */
    void closeAll() {
        for (EventObject e : events) {
            e.close();
        }
        events.clear();
    }

    int select(SOCKET s, WSAEVENT hEventObject, int lNetworkEvents) throws WsaException {
        SocketRecord r = table.usable(s);
        EventObject e = null;
        if (lNetworkEvents != 0 || hEventObject != null) {
            e = eventOf(hEventObject);
        }
        if ((lNetworkEvents & ~FD_ALL_EVENTS) != 0) {
            throw new WsaException(WSAEINVAL, "unknown network event bits 0x"
                    + Integer.toHexString(lNetworkEvents & ~FD_ALL_EVENTS));
        }
        r.select(e, lNetworkEvents);
        ProviderSocket t = r.transport(); // asked after the selection, so no arrival falls between
        if (t != null) {
            r.recordStanding(t.available() > 0, t.isListening() && t.pendingRequest() != null);
        }
        return 0;
    }

    int enumNetworkEvents(SOCKET s, WSAEVENT hEventObject, WSANETWORKEVENTS lpNetworkEvents) throws WsaException {
        SocketRecord r = table.forEvents(s);
        if (lpNetworkEvents == null) {
            throw new WsaException(WSAEFAULT, "lpNetworkEvents is required");
        }
        EventObject e = hEventObject == null ? null : eventOf(hEventObject);
        lpNetworkEvents.lNetworkEvents = r.takeRecord(lpNetworkEvents.iErrorCode);
        if (e != null) {
            e.reset();
        }
        return 0;
    }

    int waitForMultiple(int cEvents, WSAEVENT[] lphEvents, boolean fWaitAll, int dwTimeout) throws WsaException {
        startups.check();
        if (cEvents < 1 || cEvents > WSA_MAXIMUM_WAIT_EVENTS || lphEvents == null || lphEvents.length < cEvents) {
            throw new WsaException(WSA_INVALID_PARAMETER, "cEvents must be 1.." + WSA_MAXIMUM_WAIT_EVENTS
                    + " and lphEvents must hold that many events");
        }
        EventObject[] waitOn = new EventObject[cEvents];
        for (int i = 0; i < cEvents; i++) {
            waitOn[i] = eventOf(lphEvents[i]);
        }
        long deadline = dwTimeout == WSA_INFINITE ? Long.MAX_VALUE
                : System.nanoTime() + Integer.toUnsignedLong(dwTimeout) * 1_000_000L;
        try {
            synchronized (monitor) {
                while (true) {
                    int signalled = -1;
                    boolean all = true;
                    for (int i = 0; i < cEvents; i++) {
                        if (waitOn[i].isClosed()) {
                            throw new WsaException(WSA_INVALID_HANDLE, "event " + waitOn[i]
                                    + " was closed while waiting");
                        }
                        if (waitOn[i].isSignalled()) {
                            signalled = signalled < 0 ? i : signalled;
                        } else {
                            all = false;
                        }
                    }
                    if (fWaitAll ? all : signalled >= 0) {
                        return WSA_WAIT_EVENT_0 + (fWaitAll ? 0 : signalled);
                    }
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        return WSA_WAIT_TIMEOUT;
                    }
                    long ms = Math.max(1, remaining / 1_000_000L);
                    monitor.wait(deadline == Long.MAX_VALUE ? 0 : ms);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WsaException(WSAEINTR, "the wait was interrupted");
        }
    }
}
