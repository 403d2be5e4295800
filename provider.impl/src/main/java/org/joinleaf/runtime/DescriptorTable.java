package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.runtime.dto.SocketDTO;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.WsaException;

/**
 * The descriptors of one process: handing them out, finding them for a call (R1, R2, decisions 7), closing them
 * ({@code closesocket}, the last {@code WSACleanup}, a provider leaving) and releasing what they leave running.
 */
final class DescriptorTable {
    private static final System.Logger LOG = System.getLogger(DescriptorTable.class.getName());
    /** Descriptors are unique across processes, so one from another bundle is never found here. */
    private static final AtomicLong NEXT_HANDLE = new AtomicLong(0x100);

    private final Map<SOCKET, SocketRecord> sockets = new ConcurrentHashMap<>();
    /** Beaten by every record of this process: what {@code select} waits on. */
    final ChangePulse pulse = new ChangePulse();
    private final Startups startups;
    private final ErrorBoundary boundary;
    /** Told when a c_root enters or leaves this table: its session's JMX view (issue 15 item 4). */
    private volatile RootWatcher roots = RootWatcher.NONE;

    /** What follows the c_roots of a process; called outside every runtime lock, must not throw. */
    interface RootWatcher {
        RootWatcher NONE = new RootWatcher() {
            @Override
            public void added(SocketRecord root) {
            }

            @Override
            public void removed(SocketRecord root) {
            }
        };

        void added(SocketRecord root);

        void removed(SocketRecord root);
    }

    DescriptorTable(Startups startups, ErrorBoundary boundary) {
        this.startups = startups;
        this.boundary = boundary;
    }

    static SOCKET newHandle() {
        return SOCKET.of(NEXT_HANDLE.getAndAdd(4));
    }

    void watchRoots(RootWatcher watcher) {
        roots = watcher;
    }

    void add(SocketRecord r) {
        sockets.put(r.handle, r);
        if (SocketKind.isControlRoot(r.flags)) {
            roots.added(r);
        }
    }

    void remove(SocketRecord r) {
        if (sockets.remove(r.handle) != null) {
            removed(r);
        }
    }

    private void removed(SocketRecord r) {
        if (SocketKind.isControlRoot(r.flags)) {
            roots.removed(r);
        }
    }

    int size() {
        return sockets.size();
    }

    /** R1 then R2: startup, then a live descriptor of this process. */
    SocketRecord lookup(SOCKET s) throws WsaException {
        startups.check();
        SocketRecord r = s == null ? null : sockets.get(s);
        if (r == null) {
            throw new WsaException(WSAENOTSOCK, s + " is not a socket of this bundle (never created, closed, or"
                    + " another bundle's descriptor)");
        }
        boundary.concerns(r.entry.registration.name);
        r.checkAlive();
        return r;
    }

    /** R1 alone, for calls that take no descriptor ({@code select} checks its sets itself). */
    void lookupNone() throws WsaException {
        startups.check();
    }

    /** A descriptor ready for ordinary calls: alive and not in the middle of a join (decisions 7). */
    SocketRecord usable(SOCKET s) throws WsaException {
        SocketRecord r = lookup(s);
        r.checkUsable();
        return r;
    }

    /**
     * The record of a socket whose provider left stays readable, so the application can see its
     * {@code FD_CLOSE}/{@code WSAENETDOWN} (decisions 12); so does the record of a descriptor whose join is pending,
     * whose event object may be signalled before the join completes (decisions 20).
     */
    SocketRecord forEvents(SOCKET s) throws WsaException {
        startups.check();
        SocketRecord r = s == null ? null : sockets.get(s);
        if (r == null || r.isClosed()) {
            throw new WsaException(WSAENOTSOCK, s + " is not a socket of this bundle");
        }
        boundary.concerns(r.entry.registration.name);
        return r;
    }

    /** The transport of a record, {@code WSAENOTCONN} while a root join's new c_leaf has none yet. */
    static ProviderSocket transportOf(SocketRecord r) throws WsaException {
        ProviderSocket t = r.transport();
        if (t == null) {
            throw new WsaException(WSAENOTCONN, r.handle + " has no transport yet");
        }
        return t;
    }

    /** {@code closesocket}. */
    int close(SOCKET s) throws WsaException {
        startups.check();
        SocketRecord r = s == null ? null : sockets.remove(s);
        if (r == null) {
            throw new WsaException(WSAENOTSOCK, s + " is not a socket of this bundle");
        }
        boundary.concerns(r.entry.registration.name);
        removed(r);
        RootInvitation invited = r.pendingInvitation();
        release(r.close(), WSAEINTR, "closesocket cancelled the operation");
        if (invited != null) {
            invited.rootClosed(s);
        }
        return 0;
    }

    /**
     * decisions 13: every socket closed without notifications. Every record is marked closed before any transport
     * is: closing one transport makes a provider report on others (a root's close ends its leaves' sessions), and a
     * closed record drops those reports, so no event object is signalled by the cleanup (decisions 17).
     */
    void closeAll() {
        List<SocketRecord.Detached> toRelease = new ArrayList<>();
        for (SocketRecord r : new ArrayList<>(sockets.values())) {
            sockets.remove(r.handle);
            removed(r);
            toRelease.add(r.close());
        }
        for (SocketRecord.Detached d : toRelease) {
            release(d, WSAEINTR, "WSACleanup closed the socket");
        }
    }

    /** decisions 12: every socket of the provider records FD_CLOSE/WSAENETDOWN and fails from now on. */
    void providerGone(ProviderRegistration registration) {
        for (SocketRecord r : sockets.values()) {
            if (r.entry.registration == registration) {
                release(r.markDown(), WSAENETDOWN, "provider '" + registration.name + "' left the catalog");
            }
        }
    }

    /** Cancels what a closed or failed record left running and closes its transport, outside every lock. */
    static void release(SocketRecord.Detached d, int cancelCode, String why) {
        if (d.operation != null) {
            d.operation.cancel(cancelCode, why);
            if (cancelCode == WSAENETDOWN) {
                d.operation.origin.raise(FD_CONNECT_BIT, WSAENETDOWN, true);
            }
        }
        if (d.transport != null) {
            closeQuietly(d.transport);
        }
    }

    /** {@link ProviderSocket#close} never throws by contract; a provider that does is logged, not propagated. */
    static void closeQuietly(ProviderSocket t) {
        try {
            t.close();
        } catch (RuntimeException | Error e) {
            LOG.log(Level.WARNING, "joinleaf: a provider threw from close(): " + e);
        }
    }

    /** This process's open sockets, for operators; providers are asked for peers outside every runtime lock. */
    List<SocketDTO> dtos(String owner) {
        List<SocketDTO> out = new ArrayList<>();
        for (SocketRecord r : sockets.values()) {
            out.add(dto(r, owner));
        }
        out.sort((a, b) -> Long.compare(a.handle, b.handle));
        return out;
    }

    /** The snapshot of {@code s}, or null once it left this table. */
    SocketDTO dtoOf(SOCKET s, String owner) {
        SocketRecord r = sockets.get(s);
        return r == null ? null : dto(r, owner);
    }

    /** The open c_leaf sockets of this process that {@code root} accepted or invited. */
    int leavesOf(SOCKET root) {
        int n = 0;
        for (SocketRecord r : sockets.values()) {
            if (root.equals(r.root) && !r.isClosed()) {
                n++;
            }
        }
        return n;
    }

    private static SocketDTO dto(SocketRecord r, String owner) {
        SocketDTO d = r.dto();
        d.process = owner;
        ProviderSocket t = r.transport();
        SOCKADDR peer = null;
        try {
            peer = t == null ? null : t.peerAddress();
        } catch (RuntimeException | Error e) {
            // a provider that is going away: the peer is simply unknown
        }
        d.peer = peer == null ? "" : peer.toString();
        return d;
    }
}
