package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;

import org.joinleaf.api.QOS;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSABUF;
import org.joinleaf.spi.ConnectRequest;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.WsaException;

/**
 * {@code WSAConnect} and {@code WSAJoinLeaf} (§3): the checks every provider shares, starting the provider's
 * asynchronous work, and then either returning at once (non-blocking) or waiting for its completion (blocking).
 * Whatever the provider does when asked to start, including throwing something unchecked, the socket is left as
 * it was before the call (undo in {@code finally}), so a retry is possible.
 */
final class Joins {
    /**
     * decisions 23: how long a blocking join or connect waits for its provider. Longer than every provider's own
     * default deadline (5 s), so a provider that works always answers first; a provider that never completes
     * cannot hold an application thread forever.
     */
    static final long BLOCKING_BOUND_MILLIS = 120_000;

    private final DescriptorTable table;
    private volatile long blockingBoundNanos = BLOCKING_BOUND_MILLIS * 1_000_000L;

    Joins(DescriptorTable table) {
        this.table = table;
    }

    /** Tests shorten the bound of decisions 23 to see it act. */
    void blockingBound(long millis) {
        blockingBoundNanos = millis * 1_000_000L;
    }

    int connect(SOCKET s, SOCKADDR name, int namelen, WSABUF lpCallerData, WSABUF lpCalleeData, QOS lpSQOS)
            throws WsaException {
        SocketRecord r = table.usable(s);
        if (DatagramConnect.isConnectionless(r.entry.info)) {
            return DatagramConnect.connect(r, s, name, namelen, blockingBoundNanos); // issue 13
        }
        if (r.hasPendingOperation()) {
            throw new WsaException(WSAEALREADY, "a connect is already in progress on " + s);
        }
        if (r.isConnected()) {
            throw new WsaException(WSAEISCONN, s + " is already connected");
        }
        SocketArgs.checkName(r, name, namelen);
        if (name.isAny()) {
            throw new WsaException(WSAEADDRNOTAVAIL, "cannot connect to ADDR_ANY; name a host");
        }
        byte[] caller = ConnectData.caller(r.entry.info, lpCallerData);
        ConnectData.checkCallee(lpCalleeData);
        QosPreconditions.check(r.entry.info, lpSQOS, JL_BOTH);
        ProviderSocket t = DescriptorTable.transportOf(r);
        JoinOperation op = new JoinOperation(r, r, false, JL_BOTH, lpCalleeData);
        r.begin(op);
        boolean started = false;
        try {
            t.connect(new ConnectRequest(name, caller, op.calleeCapacity(), lpSQOS, JL_BOTH, null), op);
            started = true;
        } finally {
            if (!started) {
                r.abandon(op);
            }
        }
        if (r.isNonBlocking()) {
            throw new WsaException(WSAEWOULDBLOCK, "the connect on " + s + " is under way; wait for FD_CONNECT");
        }
        int code = op.await(blockingBoundNanos);
        if (code != 0) {
            throw new WsaException(code, op.message());
        }
        return 0;
    }

    SOCKET join(SOCKET s, SOCKADDR name, int namelen, WSABUF lpCallerData, WSABUF lpCalleeData, QOS lpSQOS,
                int dwFlags) throws WsaException {
        SocketRecord r = table.lookup(s);
        ProviderSocket t = r.transport();
        if (t == null) {
            r.checkUsable(); // the descriptor of a root join still pending: WSAENOTCONN (decisions 7)
        }
        if (!(t instanceof MultipointSocket)) {
            // decisions 1 and R38: a provider without WSPJoinLeaf, like Windows CE's built-in one
            throw new WsaException(WSASYSCALLFAILURE, "provider '" + r.entry.registration.name + "' does not support"
                    + " WSAJoinLeaf (as Windows CE's built-in TCP/IP provider); install a multipoint provider");
        }
        boolean root = SocketKind.isControlRoot(r.flags);
        checkJoinState(r, root);
        if (!SocketKind.isMultipoint(r.flags)) {
            throw new WsaException(WSAEINVAL, s + " was created without multipoint flags; create it with"
                    + " WSA_FLAG_MULTIPOINT_C_* | WSA_FLAG_MULTIPOINT_D_*");
        }
        int direction = SocketKind.direction(dwFlags);
        SocketArgs.checkName(r, name, namelen);
        if (name.isAny()) {
            throw new WsaException(WSAEADDRNOTAVAIL, "cannot join ADDR_ANY; name the root, the session or the leaf");
        }
        byte[] caller = ConnectData.caller(r.entry.info, lpCallerData);
        ConnectData.checkCallee(lpCalleeData);
        QosPreconditions.check(r.entry.info, lpSQOS, direction);
        return root ? joinAsRoot(r, (MultipointSocket) t, name, caller, lpCalleeData, lpSQOS, direction)
                : joinAsLeaf(r, (MultipointSocket) t, name, caller, lpCalleeData, lpSQOS, direction);
    }

    /** R18–R21: one join at a time; a leaf joins once; a root may invite the next leaf when the last one finished. */
    private static void checkJoinState(SocketRecord r, boolean root) throws WsaException {
        if (root) {
            if (r.pendingInvitation() != null) {
                throw new WsaException(WSAEALREADY, "the root " + r.handle + " already has an invitation outstanding ("
                        + r.pendingInvitation().leaf.handle + "); wait for its FD_CONNECT");
            }
            r.checkUsable();
            return;
        }
        switch (r.state()) {
            case JOINING:
                throw new WsaException(WSAEALREADY, "a join is already pending on " + r.handle
                        + "; wait for FD_CONNECT");
            case JOINED:
            case PEER_CLOSED:
                throw new WsaException(WSAEISCONN, r.handle + " is already a member of a session");
            case BROKEN:
                throw new WsaException(WSAEINVAL, "an earlier join on " + r.handle + " failed and cannot be retried;"
                        + " close the socket and create a new one");
            default:
                r.checkUsable();
        }
    }

    private SOCKET joinAsLeaf(SocketRecord r, MultipointSocket t, SOCKADDR name, byte[] caller, WSABUF callee,
                              QOS qos, int direction) throws WsaException {
        JoinOperation op = new JoinOperation(r, r, true, direction, callee);
        r.counters.joinAttempted();
        r.begin(op);
        boolean started = false;
        try {
            t.join(new ConnectRequest(name, caller, op.calleeCapacity(), qos, direction, null), op);
            started = true;
        } finally {
            if (!started) {
                r.abandon(op);
            }
        }
        if (r.isNonBlocking()) {
            return r.handle; // R14: a started join is success, never WSAEWOULDBLOCK
        }
        int code = op.await(blockingBoundNanos);
        if (code != 0) {
            throw new WsaException(code, op.message());
        }
        return r.handle; // R24
    }

    private SOCKET joinAsRoot(SocketRecord r, MultipointSocket t, SOCKADDR name, byte[] caller, WSABUF callee,
                              QOS qos, int direction) throws WsaException {
        RootInvitation invitation = RootInvitation.begin(table, r, direction, callee);
        JoinOperation op = invitation.op;
        ProviderSocket leafTransport = null;
        boolean started = false;
        try {
            leafTransport = t.join(new ConnectRequest(name, caller, op.calleeCapacity(), qos, direction,
                    invitation.leaf), op);
            started = true;
        } finally {
            if (!started) {
                invitation.undo();
            }
        }
        invitation.attach(leafTransport, t);
        if (r.isNonBlocking()) {
            return invitation.leaf.handle;
        }
        int code = op.await(blockingBoundNanos);
        if (code != 0) {
            invitation.failed(code);
            throw new WsaException(code, op.message());
        }
        return invitation.leaf.handle;
    }
}
