package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;

import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.joinleaf.api.LPCONDITIONPROC;
import org.joinleaf.api.QOS;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSABUF;
import org.joinleaf.api.WSAError;
import org.joinleaf.spi.ConnectionRequest;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.WsaException;

/**
 * {@code WSAAccept} (§4): takes the head of a listening socket's backlog, runs the condition function on the
 * application's thread (or the process's default condition), and makes the accepted socket. {@code FD_ACCEPT} is
 * re-armed by every accept call that consumed or refused a request. Several threads may accept on one socket at
 * once: each claims a different request ({@link AcceptClaims}, decision 39), as far as the provider offers more
 * than its head.
 */
final class Acceptor {
    private static final System.Logger LOG = System.getLogger(Acceptor.class.getName());

    private final DescriptorTable table;
    /** The default condition ({@code joinleaf.condition=default}), or null: read once per WSAAccept. */
    private final AtomicReference<LPCONDITIONPROC> defaultCondition;

    Acceptor(DescriptorTable table, AtomicReference<LPCONDITIONPROC> defaultCondition) {
        this.table = table;
        this.defaultCondition = defaultCondition;
    }

    SOCKET accept(SOCKET s, SOCKADDR addr, int[] addrlen, LPCONDITIONPROC lpfnCondition, long dwCallbackData)
            throws WsaException {
        SocketRecord r = table.usable(s);
        ProviderSocket t = DescriptorTable.transportOf(r);
        if (!t.isListening()) {
            throw new WsaException(WSAEINVAL, "call listen on " + s + " before accept");
        }
        if (addr != null && (addrlen == null || addrlen[0] < r.entry.info.iMinSockAddr)) {
            throw new WsaException(WSAEFAULT, "addrlen is smaller than the " + r.entry.info.iMinSockAddr
                    + " bytes of this family's address");
        }
        AcceptClaims claims = r.acceptClaims();
        ConnectionRequest request = claimNext(r, t, claims);
        boolean accepted = false;
        try {
            SOCKET child = decide(r, t, request, addr, addrlen, lpfnCondition, dwCallbackData);
            accepted = true;
            return child;
        } finally {
            claims.release(request);
            if (!accepted) { // deferred or left undecided, it may still be queued: a waiting call may take it now
                r.wakeWaiters();
            }
        }
    }

    /** Runs the condition on the claimed {@code request} and makes the accepted socket; see {@link #accept}. */
    private SOCKET decide(SocketRecord r, ProviderSocket t, ConnectionRequest request, SOCKADDR addr, int[] addrlen,
                          LPCONDITIONPROC lpfnCondition, long dwCallbackData) throws WsaException {
        byte[] reply = new byte[0];
        LPCONDITIONPROC condition = lpfnCondition != null ? lpfnCondition : defaultCondition.get();
        if (condition != null) {
            reply = runCondition(r, t, request, condition, dwCallbackData);
        }
        SocketRecord child = r.inheriting(DescriptorTable.newHandle(),
                SocketKind.isControlRoot(r.flags) ? SocketKind.leafOf(r.flags) : r.flags);
        table.add(child);
        ProviderSocket accepted = null;
        try {
            accepted = request.accept(reply, child);
        } finally {
            if (accepted == null) {
                table.remove(child);
                child.close();
                rearmAccept(r, t);
            }
        }
        if (accepted == null) {
            throw new WsaException(0, "provider '" + r.entry.registration.name + "' accepted without a socket");
        }
        child.attach(accepted);
        child.markAccepted();
        r.counters.verdict(0);
        // DEBUG, not INFO: a join flood would otherwise write one line per peer (issue 11); the verdict is counted.
        // Guarded: its arguments would cost every join an address copy and two handle texts.
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "joinleaf: socket {0} accepted a join from {1} as socket {2}",
                    HandleText.of(r.handle), request.callerAddress(), HandleText.of(child.handle));
        }
        rearmAccept(r, t);
        if (addr != null) {
            addr.set(request.callerAddress());
            addrlen[0] = addr.size();
        }
        return child.handle;
    }

    /**
     * The first request of the backlog no other accept call is deciding, claimed for this one; blocking sockets wait
     * for one (FD_ACCEPT is re-armed by every accept call).
     */
    private static ConnectionRequest claimNext(SocketRecord r, ProviderSocket t, AcceptClaims claims)
            throws WsaException {
        while (true) {
            long seen = r.changes();
            ConnectionRequest request = claims.claimNext(t);
            if (request != null) {
                return request;
            }
            if (r.isNonBlocking()) {
                r.afterAcceptCall(false);
                throw new WsaException(WSAEWOULDBLOCK, "no connection request is queued on " + r.handle
                        + "; wait for FD_ACCEPT");
            }
            claims.watch(r, seen);
        }
    }

    /** Runs the condition function on this thread (§4); returns the reply bytes when it accepted. */
    private static byte[] runCondition(SocketRecord r, ProviderSocket t, ConnectionRequest request,
                                       LPCONDITIONPROC condition, long callbackData) throws WsaException {
        // The runtime's own copy: whatever the provider keeps, user code never sees or changes it.
        byte[] callerData = request.callerData() == null ? null : request.callerData().clone();
        QOS callerQos = request.callerQos();
        int capacity = Math.max(0, request.calleeDataCapacity());
        WSABUF calleeData = new WSABUF(capacity, new byte[capacity]);
        SOCKADDR local = t.localAddress();
        int verdict;
        try {
            verdict = condition.applyWithIdentity(request.callerIdentity(),
                    WSABUF.of(request.callerAddress().toBytes()), callerData == null ? null : WSABUF.of(callerData),
                    callerQos, null, local == null ? null : WSABUF.of(local.toBytes()), calleeData, new int[1],
                    callbackData);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "joinleaf: the WSAAccept condition function threw; the request stays queued", e);
            throw new WsaException(WSAEINVAL, "the condition function threw " + e);
        }
        switch (verdict) {
            case CF_ACCEPT:
                if (calleeData.len < 0 || calleeData.len > capacity) {
                    throw new WsaException(WSAEFAULT, "the condition function set lpCalleeData.len to "
                            + calleeData.len + "; it must be 0.." + capacity);
                }
                return Arrays.copyOf(calleeData.buf, calleeData.len);
            case CF_REJECT:
                request.reject();
                r.counters.verdict(WSAECONNREFUSED);
                LOG.log(Level.DEBUG, "joinleaf: socket {0} refused the join of {1}: {2}", HandleText.of(r.handle),
                        request.callerAddress(),
                        WSAError.describe(WSAECONNREFUSED));
                rearmAccept(r, t);
                throw new WsaException(WSAECONNREFUSED, "the condition function rejected " + request.callerAddress());
            case CF_DEFER:
                // §4: the request stays at the head, FD_ACCEPT is not re-enabled
                throw new WsaException(WSATRY_AGAIN, "the condition function deferred " + request.callerAddress()
                        + "; it stays at the head of the queue");
            default:
                throw new WsaException(WSAEINVAL, "the condition function returned " + verdict
                        + "; it must return CF_ACCEPT, CF_REJECT or CF_DEFER");
        }
    }

    /** An accept call consumed or refused a request: the record decides what FD_ACCEPT does next. */
    private static void rearmAccept(SocketRecord r, ProviderSocket t) {
        r.afterAcceptCall(t.pendingRequest() != null);
    }
}
