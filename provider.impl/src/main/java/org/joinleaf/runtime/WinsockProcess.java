package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.joinleaf.api.LPCONDITIONPROC;
import org.joinleaf.api.QOS;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSABUF;
import org.joinleaf.api.WSADATA;
import org.joinleaf.api.WSAError;
import org.joinleaf.api.WSAEVENT;
import org.joinleaf.api.WSANETWORKEVENTS;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.api.Winsock;
import org.joinleaf.runtime.dto.SocketDTO;
import org.joinleaf.spi.ConnectRequest;
import org.joinleaf.spi.ConnectionRequest;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.WsaException;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * One Winsock "process": the {@link Winsock} service instance of one consuming bundle (the service is
 * bundle-scoped), with its own startup count, descriptor table, event objects and per-thread last error. This class
 * is ws2_32: it owns the checks that need no provider (decisions 1), the rules every provider shares, and the
 * blocking behaviour; providers only move bytes.
 */
@Component(service = Winsock.class, scope = ServiceScope.BUNDLE)
public final class WinsockProcess implements Winsock, ProviderCatalog.Listener {
    private static final System.Logger LOG = System.getLogger(WinsockProcess.class.getName());
    /** Descriptors are unique across processes, so one from another bundle is never found here. */
    private static final AtomicLong NEXT_HANDLE = new AtomicLong(0x100);
    private static final AtomicLong NEXT_EVENT = new AtomicLong(1);
    private static final short HIGHEST_VERSION = MAKEWORD(2, 2);
    /** Service property of the {@link LPCONDITIONPROC} that judges {@code WSAAccept} calls without a condition. */
    public static final String DEFAULT_CONDITION = "joinleaf.condition";

    private final ProviderCatalog catalog;
    /** The consuming bundle, {@code symbolic.name [id]}: how operators tell processes apart. */
    private final String owner;
    private final Map<SOCKET, SocketRecord> sockets = new ConcurrentHashMap<>();
    private final Set<EventObject> events = ConcurrentHashMap.newKeySet();
    /** The monitor every event object of this process signals; WSAWaitForMultipleEvents waits on it. */
    private final Object eventMonitor = new Object();
    /** Per-thread last error. JDK types only, so no thread pins this bundle's class loader after a hot swap. */
    private final ThreadLocal<int[]> lastError = ThreadLocal.withInitial(() -> new int[1]);
    private final ThreadLocal<String> lastErrorMessage = ThreadLocal.withInitial(() -> "");
    private int startups;
    /** The default condition ({@link #DEFAULT_CONDITION}{@code =default}), or null: read once per WSAAccept. */
    private final AtomicReference<LPCONDITIONPROC> defaultCondition = new AtomicReference<>();

    /** A process outside the framework (tests, benchmarks). */
    public WinsockProcess(ProviderCatalog catalog) {
        this(catalog, "plain object");
    }

    /** The process of the bundle that got this service instance. */
    @Activate
    public WinsockProcess(@Reference ProviderCatalog catalog, ComponentContext context) {
        this(catalog, context.getUsingBundle().getSymbolicName() + " [" + context.getUsingBundle().getBundleId() + "]");
    }

    private WinsockProcess(ProviderCatalog catalog, String owner) {
        this.catalog = catalog;
        this.owner = owner;
        catalog.addListener(this);
    }

    /**
     * The highest ranked {@code LPCONDITIONPROC} registered with {@code joinleaf.condition=default} arrived (or
     * replaced a lower one, greedy): {@code WSAAccept} calls without a condition function run it. Public for use
     * outside the framework.
     */
    @Reference(service = LPCONDITIONPROC.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(" + DEFAULT_CONDITION + "=default)", unbind = "unbindDefaultCondition")
    public void bindDefaultCondition(LPCONDITIONPROC condition) {
        defaultCondition.set(condition);
    }

    /** A default condition left; cleared only when it is the one in use (a greedy swap binds the new one first). */
    public void unbindDefaultCondition(LPCONDITIONPROC condition) {
        defaultCondition.compareAndSet(condition, null);
    }

    /** This process's open sockets, for operators; providers are asked for peers outside every runtime lock. */
    List<SocketDTO> socketDTOs() {
        List<SocketDTO> out = new ArrayList<>();
        for (SocketRecord r : sockets.values()) {
            SocketDTO d = r.dto();
            d.process = owner;
            ProviderSocket t = r.transport();
            SOCKADDR peer = null;
            try {
                peer = t == null ? null : t.peerAddress();
            } catch (RuntimeException e) {
                // a provider that is going away: the peer is simply unknown
            }
            d.peer = peer == null ? "" : peer.toString();
            out.add(d);
        }
        out.sort((a, b) -> Long.compare(a.handle, b.handle));
        return out;
    }

    /** The consuming bundle released the service (or stopped): the process ends, as if it called WSACleanup. */
    @Deactivate
    public void terminate() {
        catalog.removeListener(this);
        synchronized (this) {
            startups = 0;
        }
        closeEverything();
    }

    // ============================== errors ==============================

    private int fail(WsaException e) {
        int code = e.code() == 0 ? WSASYSCALLFAILURE : e.code();
        String message = e.code() == 0 ? "the provider failed without an error code: " + e.getMessage() : e.getMessage();
        lastError.get()[0] = code;
        lastErrorMessage.set(message);
        LOG.log(Level.DEBUG, "joinleaf: {0}: {1}", WSAError.describe(code), message);
        return SOCKET_ERROR;
    }

    private SOCKET failSocket(WsaException e) {
        fail(e);
        return SOCKET.INVALID_SOCKET;
    }

    private static WsaException error(int code, String message) {
        return new WsaException(code, message);
    }

    @Override
    public int WSAGetLastError() {
        return lastError.get()[0];
    }

    @Override
    public void WSASetLastError(int iError) {
        lastError.get()[0] = iError;
        lastErrorMessage.set(iError == 0 ? "" : "set by WSASetLastError");
    }

    @Override
    public String WSAGetLastErrorMessage() {
        return lastErrorMessage.get();
    }

    // ============================== startup ==============================

    @Override
    public int WSAStartup(short wVersionRequested, WSADATA lpWSAData) {
        int major = LOBYTE(wVersionRequested);
        int minor = HIBYTE(wVersionRequested);
        if (major < 1) {
            return WSAVERNOTSUPPORTED;
        }
        if (lpWSAData == null) {
            return WSAEFAULT;
        }
        short version = (major > 2 || (major == 2 && minor >= 2)) ? HIGHEST_VERSION : wVersionRequested;
        lpWSAData.wVersion = version;
        lpWSAData.wHighVersion = HIGHEST_VERSION;
        lpWSAData.szDescription = "joinleaf Winsock 2.2 multipoint runtime";
        lpWSAData.szSystemStatus = "Running";
        synchronized (this) {
            startups++;
        }
        return 0;
    }

    @Override
    public int WSACleanup() {
        boolean last;
        synchronized (this) {
            if (startups == 0) {
                return fail(notInitialised());
            }
            last = --startups == 0;
        }
        if (last) {
            closeEverything();
        }
        return 0;
    }

    /** decisions 13: every socket closed without notifications, every event object released. */
    private void closeEverything() {
        for (SocketRecord r : new ArrayList<>(sockets.values())) {
            sockets.remove(r.handle);
            release(r.close(), WSAEINTR, "WSACleanup closed the socket");
        }
        for (EventObject e : events) {
            e.close();
        }
        events.clear();
    }

    private static WsaException notInitialised() {
        return error(WSANOTINITIALISED, "call WSAStartup first (or after the last WSACleanup)");
    }

    private void checkStarted() throws WsaException {
        synchronized (this) {
            if (startups == 0) {
                throw notInitialised();
            }
        }
    }

    /** R1 then R2: startup, then a live descriptor of this process. */
    private SocketRecord lookup(SOCKET s) throws WsaException {
        checkStarted();
        SocketRecord r = s == null ? null : sockets.get(s);
        if (r == null) {
            throw error(WSAENOTSOCK, s + " is not a socket of this bundle (never created, closed, or another"
                    + " bundle's descriptor)");
        }
        r.checkAlive();
        return r;
    }

    /** A descriptor ready for ordinary calls: alive and not in the middle of a join (decisions 7). */
    private SocketRecord usable(SOCKET s) throws WsaException {
        SocketRecord r = lookup(s);
        r.checkUsable();
        return r;
    }

    private static ProviderSocket transportOf(SocketRecord r) throws WsaException {
        ProviderSocket t = r.transport();
        if (t == null) {
            throw error(WSAENOTCONN, r.handle + " has no transport yet");
        }
        return t;
    }

    // ============================== catalog ==============================

    @Override
    public int WSAEnumProtocols(int[] lpiProtocols, WSAPROTOCOL_INFO[] lpProtocolBuffer, int[] lpdwBufferLength) {
        try {
            checkStarted();
            if (lpdwBufferLength == null || lpdwBufferLength.length < 1) {
                throw error(WSAEFAULT, "lpdwBufferLength is required");
            }
            List<WSAPROTOCOL_INFO> visible = new ArrayList<>();
            for (CatalogEntry e : catalog.entries()) {
                if ((e.info.dwProviderFlags & PFL_HIDDEN) == 0 && e.info.ProtocolChain.ChainLen != LAYERED_PROTOCOL
                        && matchesProtocolList(e.info.iProtocol, lpiProtocols)) {
                    visible.add(e.info);
                }
            }
            int needed = visible.size() * WSAPROTOCOL_INFO.SIZE;
            if (lpProtocolBuffer == null || lpdwBufferLength[0] < needed || lpProtocolBuffer.length < visible.size()) {
                lpdwBufferLength[0] = needed;
                throw error(WSAENOBUFS, "the buffer holds " + (lpProtocolBuffer == null ? 0 : lpProtocolBuffer.length)
                        + " entries; " + visible.size() + " (" + needed + " bytes) are needed");
            }
            for (int i = 0; i < visible.size(); i++) {
                if (lpProtocolBuffer[i] == null) {
                    lpProtocolBuffer[i] = new WSAPROTOCOL_INFO();
                }
                lpProtocolBuffer[i].set(visible.get(i));
            }
            return visible.size();
        } catch (WsaException e) {
            return fail(e);
        }
    }

    private static boolean matchesProtocolList(int protocol, int[] list) {
        if (list == null) {
            return true;
        }
        for (int p : list) {
            if (p == 0) {
                return false;
            }
            if (p == protocol) {
                return true;
            }
        }
        return false;
    }

    @Override
    public SOCKET WSASocket(int af, int type, int protocol, WSAPROTOCOL_INFO lpProtocolInfo, int g, int dwFlags) {
        try {
            checkStarted();
            if (g != 0) {
                throw error(WSAEINVAL, "socket groups are reserved; pass g = 0");
            }
            SocketRecord r = lpProtocolInfo != null
                    ? create(entryById(lpProtocolInfo, af, type, protocol), dwFlags)
                    : createOnFirstTaker(af, type, protocol, dwFlags);
            sockets.put(r.handle, r);
            if (r.entry.registration.gone) { // the provider left while we were creating: decisions 12 applies at once
                providerGone(r.entry.registration);
            }
            return r.handle;
        } catch (WsaException e) {
            return failSocket(e);
        }
    }

    /**
     * §6 with one joinleaf rule for a catalog where several providers serve one af/type/protocol: the first entry in
     * catalog order that matches and can make this kind of socket takes it. An entry is passed over when the
     * multipoint flags break decisions 3 for it, or when its provider refuses the kind with
     * {@code WSAESOCKTNOSUPPORT} (a multipoint-only provider asked for a plain socket); if every match refuses, the
     * first refusal is reported.
     */
    private SocketRecord createOnFirstTaker(int af, int type, int protocol, int dwFlags) throws WsaException {
        WsaException firstRefusal = null;
        for (CatalogEntry entry : matches(af, type, protocol)) {
            try {
                return create(entry, dwFlags);
            } catch (KindRefused refused) {
                firstRefusal = firstRefusal == null ? refused.reason : firstRefusal;
            }
        }
        throw firstRefusal;
    }

    /** An entry that cannot make the requested kind of socket; the next match may. */
    private static final class KindRefused extends WsaException {
        private static final long serialVersionUID = 1L;
        final WsaException reason;

        KindRefused(WsaException reason) {
            super(reason.code(), reason.getMessage());
            this.reason = reason;
        }
    }

    private SocketRecord create(CatalogEntry entry, int dwFlags) throws WsaException {
        try {
            SocketKind.check(dwFlags, entry.info);
        } catch (WsaException e) {
            throw new KindRefused(e);
        }
        SocketRecord r = new SocketRecord(newHandle(), entry, dwFlags);
        ProviderSocket t;
        try {
            t = entry.provider().socket(entry.copy(), dwFlags, r);
        } catch (WsaException e) {
            throw e.code() == WSAESOCKTNOSUPPORT ? new KindRefused(e) : e;
        } catch (RuntimeException e) {
            throw providerCrash(entry, "socket", e);
        }
        if (t == null) {
            throw error(0, "provider '" + entry.registration.name + "' returned no socket");
        }
        r.attach(t);
        return r;
    }

    private CatalogEntry entryById(WSAPROTOCOL_INFO info, int af, int type, int protocol) throws WsaException {
        for (CatalogEntry e : catalog.entries()) {
            if (e.info.dwCatalogEntryId == info.dwCatalogEntryId) {
                if ((af != FROM_PROTOCOL_INFO && af != e.info.iAddressFamily)
                        || (type != FROM_PROTOCOL_INFO && type != e.info.iSocketType)) {
                    throw error(WSAEINVAL, "af/type disagree with catalog entry " + info.dwCatalogEntryId
                            + "; pass FROM_PROTOCOL_INFO");
                }
                return e;
            }
        }
        throw error(WSAEINVAL, "no catalog entry has dwCatalogEntryId " + info.dwCatalogEntryId
                + " (its provider may have left); call WSAEnumProtocols again");
    }

    /**
     * §6: the entries matching af/type/protocol, the pinned provider's first, then catalog order; when none does,
     * the error names the field.
     */
    private List<CatalogEntry> matches(int af, int type, int protocol) throws WsaException {
        boolean afSeen = false;
        boolean typeSeen = false;
        List<CatalogEntry> found = new ArrayList<>();
        for (CatalogEntry e : catalog.selectionOrder()) {
            WSAPROTOCOL_INFO i = e.info;
            if (i.ProtocolChain.ChainLen == LAYERED_PROTOCOL) {
                continue;
            }
            if (af != AF_UNSPEC && af != i.iAddressFamily) {
                continue;
            }
            afSeen = true;
            if (type != 0 && type != i.iSocketType) {
                continue;
            }
            typeSeen = true;
            if (protocol == 0 || (protocol >= i.iProtocol && protocol <= i.iProtocol + i.iProtocolMaxOffset)) {
                found.add(e);
            }
        }
        if (!found.isEmpty()) {
            return found;
        }
        if (!afSeen) {
            throw error(WSAEAFNOSUPPORT, "no provider in the catalog serves address family " + af);
        }
        if (!typeSeen) {
            throw error(WSAESOCKTNOSUPPORT, "no provider serves socket type " + type + " in address family " + af);
        }
        throw error(WSAEPROTONOSUPPORT, "no provider serves protocol " + protocol + " for af " + af + ", type " + type);
    }

    private static SOCKET newHandle() {
        return SOCKET.of(NEXT_HANDLE.getAndAdd(4));
    }

    private static WsaException providerCrash(CatalogEntry entry, String call, RuntimeException e) {
        LOG.log(Level.WARNING, "joinleaf: provider '" + entry.registration.name + "' threw from " + call, e);
        return error(0, "provider '" + entry.registration.name + "' threw " + e + " from " + call);
    }

    @Override
    public void providerGone(ProviderRegistration registration) {
        for (SocketRecord r : sockets.values()) {
            if (r.entry.registration == registration) {
                release(r.markDown(), WSAENETDOWN, "provider '" + registration.name + "' left the catalog");
            }
        }
    }

    /** Cancels what a closed or failed record left running and closes its transport, outside every lock. */
    private static void release(SocketRecord.Detached d, int cancelCode, String why) {
        if (d.operation != null) {
            d.operation.cancel(cancelCode, why);
            if (cancelCode == WSAENETDOWN) {
                d.operation.origin.raise(FD_CONNECT_BIT, WSAENETDOWN, true);
            }
        }
        if (d.transport != null) {
            try {
                d.transport.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "joinleaf: a provider threw from close()", e);
            }
        }
    }

    // ============================== connection setup ==============================

    @Override
    public int bind(SOCKET s, SOCKADDR name, int namelen) {
        try {
            SocketRecord r = usable(s);
            checkName(r, name, namelen);
            transportOf(r).bind(new SOCKADDR().set(name));
            return 0;
        } catch (WsaException e) {
            return fail(e);
        }
    }

    /** R4 and R6: a readable name of the socket's family, with a namelen that covers it. */
    private static void checkName(SocketRecord r, SOCKADDR name, int namelen) throws WsaException {
        if (name == null) {
            throw error(WSAEFAULT, "name is required");
        }
        int needed = Math.max(name.size(), r.entry.info.iMinSockAddr);
        if (namelen < needed) {
            throw error(WSAEFAULT, "namelen " + namelen + " is smaller than the " + needed
                    + " bytes of the address; pass the size of the sockaddr");
        }
        if (name.sa_family != r.entry.info.iAddressFamily) {
            throw error(WSAEAFNOSUPPORT, "address family " + name.sa_family + " does not suit a socket of family "
                    + r.entry.info.iAddressFamily);
        }
        if (!name.isWellFormed()) {
            throw error(WSAEFAULT, "name is malformed: " + name);
        }
    }

    @Override
    public int listen(SOCKET s, int backlog) {
        try {
            SocketRecord r = usable(s);
            transportOf(r).listen(Math.max(backlog, 1));
            return 0;
        } catch (WsaException e) {
            return fail(e);
        }
    }

    @Override
    public SOCKET accept(SOCKET s, SOCKADDR addr, int[] addrlen) {
        return WSAAccept(s, addr, addrlen, null, 0);
    }

    @Override
    public SOCKET WSAAccept(SOCKET s, SOCKADDR addr, int[] addrlen, LPCONDITIONPROC lpfnCondition,
                            long dwCallbackData) {
        try {
            SocketRecord r = usable(s);
            ProviderSocket t = transportOf(r);
            if (!t.isListening()) {
                throw error(WSAEINVAL, "call listen on " + s + " before accept");
            }
            if (addr != null && (addrlen == null || addrlen[0] < r.entry.info.iMinSockAddr)) {
                throw error(WSAEFAULT, "addrlen is smaller than the " + r.entry.info.iMinSockAddr
                        + " bytes of this family's address");
            }
            ConnectionRequest request = nextRequest(r, t);
            byte[] reply = new byte[0];
            LPCONDITIONPROC condition = lpfnCondition != null ? lpfnCondition : defaultCondition.get();
            if (condition != null) {
                reply = runCondition(r, t, request, condition, dwCallbackData);
            }
            SocketRecord child = r.inheriting(newHandle(), SocketKind.isControlRoot(r.flags) ? SocketKind.leafOf(r.flags) : r.flags);
            sockets.put(child.handle, child);
            ProviderSocket accepted;
            try {
                accepted = request.accept(reply, child);
            } catch (WsaException | RuntimeException e) {
                sockets.remove(child.handle);
                child.close();
                r.rearm(FD_ACCEPT_BIT);
                rearmAccept(r, t);
                throw e instanceof WsaException ? (WsaException) e : providerCrash(r.entry, "accept", (RuntimeException) e);
            }
            child.attach(accepted);
            child.markAccepted();
            r.countVerdict(0);
            LOG.log(Level.INFO, "joinleaf: {0} accepted a join from {1} as {2}", r.handle, request.callerAddress(),
                    child.handle);
            r.rearm(FD_ACCEPT_BIT);
            rearmAccept(r, t);
            if (addr != null) {
                addr.set(request.callerAddress());
                addrlen[0] = addr.size();
            }
            return child.handle;
        } catch (WsaException e) {
            return failSocket(e);
        }
    }

    /** The head of the backlog; blocking sockets wait for one (FD_ACCEPT is re-armed by every accept call). */
    private static ConnectionRequest nextRequest(SocketRecord r, ProviderSocket t) throws WsaException {
        while (true) {
            long seen = r.changes();
            ConnectionRequest request = t.pendingRequest();
            if (request != null) {
                return request;
            }
            if (r.isNonBlocking()) {
                r.rearm(FD_ACCEPT_BIT);
                throw error(WSAEWOULDBLOCK, "no connection request is queued on " + r.handle + "; wait for FD_ACCEPT");
            }
            r.awaitChange(seen);
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
            verdict = condition.applyWithIdentity(request.callerIdentity(), WSABUF.of(request.callerAddress().toBytes()),
                    callerData == null ? null : WSABUF.of(callerData),
                    callerQos, null, local == null ? null : WSABUF.of(local.toBytes()), calleeData, new int[1],
                    callbackData);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "joinleaf: the WSAAccept condition function threw; the request stays queued", e);
            throw error(WSAEINVAL, "the condition function threw " + e);
        }
        switch (verdict) {
            case CF_ACCEPT:
                if (calleeData.len < 0 || calleeData.len > capacity) {
                    throw error(WSAEFAULT, "the condition function set lpCalleeData.len to " + calleeData.len
                            + "; it must be 0.." + capacity);
                }
                return java.util.Arrays.copyOf(calleeData.buf, calleeData.len);
            case CF_REJECT:
                request.reject();
                r.countVerdict(WSAECONNREFUSED);
                LOG.log(Level.INFO, "joinleaf: {0} refused the join of {1}: {2}", r.handle, request.callerAddress(),
                        WSAError.describe(WSAECONNREFUSED));
                r.rearm(FD_ACCEPT_BIT);
                rearmAccept(r, t);
                throw error(WSAECONNREFUSED, "the condition function rejected " + request.callerAddress());
            case CF_DEFER:
                // §4: the request stays at the head, FD_ACCEPT is not re-enabled
                throw error(WSATRY_AGAIN, "the condition function deferred " + request.callerAddress()
                        + "; it stays at the head of the queue");
            default:
                throw error(WSAEINVAL, "the condition function returned " + verdict
                        + "; it must return CF_ACCEPT, CF_REJECT or CF_DEFER");
        }
    }

    /** Level-triggered FD_ACCEPT: another request already queued is reported again once re-armed. */
    private static void rearmAccept(SocketRecord r, ProviderSocket t) {
        if (t.pendingRequest() != null) {
            r.raise(FD_ACCEPT_BIT, 0, false);
        }
    }

    @Override
    public int WSAConnect(SOCKET s, SOCKADDR name, int namelen, WSABUF lpCallerData, WSABUF lpCalleeData,
                          QOS lpSQOS, QOS lpGQOS) {
        try {
            SocketRecord r = usable(s);
            if (r.hasPendingOperation()) {
                throw error(WSAEALREADY, "a connect is already in progress on " + s);
            }
            if (r.isConnected()) {
                throw error(WSAEISCONN, s + " is already connected");
            }
            checkName(r, name, namelen);
            if (name.isAny()) {
                throw error(WSAEADDRNOTAVAIL, "cannot connect to ADDR_ANY; name a host");
            }
            byte[] caller = ConnectData.caller(r.entry.info, lpCallerData);
            ConnectData.checkCallee(lpCalleeData);
            QosPreconditions.check(r.entry.info, lpSQOS, JL_BOTH);
            JoinOperation op = new JoinOperation(r, r, false, JL_BOTH, lpCalleeData);
            r.begin(op);
            try {
                transportOf(r).connect(new ConnectRequest(name, caller, op.calleeCapacity(), lpSQOS, JL_BOTH, null), op);
            } catch (WsaException e) {
                r.abandon(op);
                throw e;
            }
            if (r.isNonBlocking()) {
                throw error(WSAEWOULDBLOCK, "the connect on " + s + " is under way; wait for FD_CONNECT");
            }
            int code = op.await();
            if (code != 0) {
                throw error(code, op.message());
            }
            return 0;
        } catch (WsaException e) {
            return fail(e);
        }
    }

    @Override
    public SOCKET WSAJoinLeaf(SOCKET s, SOCKADDR name, int namelen, WSABUF lpCallerData, WSABUF lpCalleeData,
                              QOS lpSQOS, QOS lpGQOS, int dwFlags) {
        try {
            SocketRecord r = lookup(s);
            ProviderSocket t = r.transport();
            if (t == null) {
                r.checkUsable(); // the descriptor of a root join still pending: WSAENOTCONN (decisions 7)
            }
            if (!(t instanceof MultipointSocket)) {
                // decisions 1 and R38: a provider without WSPJoinLeaf, like Windows CE's built-in one
                throw error(WSASYSCALLFAILURE, "provider '" + r.entry.registration.name + "' does not support"
                        + " WSAJoinLeaf (as Windows CE's built-in TCP/IP provider); install a multipoint provider");
            }
            boolean root = SocketKind.isControlRoot(r.flags);
            checkJoinState(r, root);
            if (!SocketKind.isMultipoint(r.flags)) {
                throw error(WSAEINVAL, s + " was created without multipoint flags; create it with"
                        + " WSA_FLAG_MULTIPOINT_C_* | WSA_FLAG_MULTIPOINT_D_*");
            }
            int direction = SocketKind.direction(dwFlags);
            checkName(r, name, namelen);
            if (name.isAny()) {
                throw error(WSAEADDRNOTAVAIL, "cannot join ADDR_ANY; name the root, the session or the leaf");
            }
            byte[] caller = ConnectData.caller(r.entry.info, lpCallerData);
            ConnectData.checkCallee(lpCalleeData);
            QosPreconditions.check(r.entry.info, lpSQOS, direction);
            return root ? joinAsRoot(r, (MultipointSocket) t, name, caller, lpCalleeData, lpSQOS, direction)
                    : joinAsLeaf(r, (MultipointSocket) t, name, caller, lpCalleeData, lpSQOS, direction);
        } catch (WsaException e) {
            return failSocket(e);
        }
    }

    /** R18–R21: one join at a time; a leaf joins once; a root may invite the next leaf when the last one finished. */
    private static void checkJoinState(SocketRecord r, boolean root) throws WsaException {
        if (root) {
            if (r.pendingInvitation() != null) {
                throw error(WSAEALREADY, "the root " + r.handle + " already has an invitation outstanding ("
                        + r.pendingInvitation().handle + "); wait for its FD_CONNECT");
            }
            r.checkUsable();
            return;
        }
        switch (r.joinState()) {
            case PENDING:
                throw error(WSAEALREADY, "a join is already pending on " + r.handle + "; wait for FD_CONNECT");
            case JOINED:
                throw error(WSAEISCONN, r.handle + " is already a member of a session");
            case BROKEN:
                throw error(WSAEINVAL, "an earlier join on " + r.handle + " failed and cannot be retried; close the"
                        + " socket and create a new one");
            default:
                r.checkUsable();
        }
    }

    private SOCKET joinAsLeaf(SocketRecord r, MultipointSocket t, SOCKADDR name, byte[] caller, WSABUF callee,
                              QOS qos, int direction) throws WsaException {
        JoinOperation op = new JoinOperation(r, r, true, direction, callee);
        r.countJoinAttempted();
        r.begin(op);
        try {
            t.join(new ConnectRequest(name, caller, op.calleeCapacity(), qos, direction, null), op);
        } catch (WsaException | RuntimeException e) {
            r.abandon(op);
            throw e instanceof WsaException ? (WsaException) e : providerCrash(r.entry, "join", (RuntimeException) e);
        }
        if (r.isNonBlocking()) {
            return r.handle; // R14: a started join is success, never WSAEWOULDBLOCK
        }
        int code = op.await();
        if (code != 0) {
            throw error(code, op.message());
        }
        return r.handle; // R24
    }

    private SOCKET joinAsRoot(SocketRecord r, MultipointSocket t, SOCKADDR name, byte[] caller, WSABUF callee,
                              QOS qos, int direction) throws WsaException {
        SocketRecord leaf = r.inheriting(newHandle(), SocketKind.leafOf(r.flags)); // R23, R26
        JoinOperation op = new JoinOperation(r, leaf, true, direction, callee);
        r.countJoinAttempted();
        leaf.begin(op);
        r.beginInvitation(leaf);
        sockets.put(leaf.handle, leaf);
        ProviderSocket leafTransport;
        try {
            leafTransport = t.join(new ConnectRequest(name, caller, op.calleeCapacity(), qos, direction, leaf), op);
        } catch (WsaException | RuntimeException e) {
            sockets.remove(leaf.handle);
            leaf.close();
            r.invitationFinished(leaf);
            throw e instanceof WsaException ? (WsaException) e : providerCrash(r.entry, "join", (RuntimeException) e);
        }
        if (leafTransport == null || !leaf.attach(leafTransport)) {
            if (leafTransport != null) {
                leafTransport.close(); // closesocket cancelled the invitation before the provider answered
            }
        }
        if (r.isNonBlocking()) {
            return leaf.handle;
        }
        int code = op.await();
        if (code != 0) {
            sockets.remove(leaf.handle); // never handed out
            release(leaf.close(), code, "failed join");
            throw error(code, op.message());
        }
        return leaf.handle;
    }

    // ============================== events ==============================

    @Override
    public WSAEVENT WSACreateEvent() {
        try {
            checkStarted();
            EventObject e = new EventObject(eventMonitor, NEXT_EVENT.getAndIncrement());
            events.add(e);
            return e;
        } catch (WsaException e) {
            fail(e);
            return null;
        }
    }

    private EventObject eventOf(WSAEVENT h) throws WsaException {
        checkStarted();
        if (!(h instanceof EventObject) || !events.contains(h)) {
            throw error(WSA_INVALID_HANDLE, "not an open event object of this bundle: " + h);
        }
        return (EventObject) h;
    }

    @Override
    public boolean WSACloseEvent(WSAEVENT hEvent) {
        try {
            EventObject e = eventOf(hEvent);
            events.remove(e);
            e.close();
            return true;
        } catch (WsaException e) {
            fail(e);
            return false;
        }
    }

    @Override
    public boolean WSASetEvent(WSAEVENT hEvent) {
        try {
            eventOf(hEvent).set();
            return true;
        } catch (WsaException e) {
            fail(e);
            return false;
        }
    }

    @Override
    public boolean WSAResetEvent(WSAEVENT hEvent) {
        try {
            eventOf(hEvent).reset();
            return true;
        } catch (WsaException e) {
            fail(e);
            return false;
        }
    }

    @Override
    public int WSAEventSelect(SOCKET s, WSAEVENT hEventObject, int lNetworkEvents) {
        try {
            SocketRecord r = usable(s);
            EventObject e = null;
            if (lNetworkEvents != 0) {
                e = eventOf(hEventObject);
            } else if (hEventObject != null) {
                e = eventOf(hEventObject);
            }
            if ((lNetworkEvents & ~FD_ALL_EVENTS) != 0) {
                throw error(WSAEINVAL, "unknown network event bits 0x" + Integer.toHexString(lNetworkEvents & ~FD_ALL_EVENTS));
            }
            r.select(e, lNetworkEvents);
            recordStandingConditions(r);
            return 0;
        } catch (WsaException e) {
            return fail(e);
        }
    }

    /** §4: an event whose condition already holds when the selection is made is recorded at once. */
    private static void recordStandingConditions(SocketRecord r) {
        ProviderSocket t = r.transport();
        if (t == null) {
            return;
        }
        if (t.available() > 0) {
            r.raise(FD_READ_BIT, 0, false);
        }
        if (t.isListening() && t.pendingRequest() != null) {
            r.raise(FD_ACCEPT_BIT, 0, false);
        }
        if (r.isConnected() && r.closeError() < 0) {
            r.raise(FD_WRITE_BIT, 0, false);
        }
        int closeError = r.closeError();
        if (closeError >= 0) {
            r.raise(FD_CLOSE_BIT, closeError, true);
        }
    }

    @Override
    public int WSAEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject, WSANETWORKEVENTS lpNetworkEvents) {
        try {
            SocketRecord r = lookupForEvents(s);
            if (lpNetworkEvents == null) {
                throw error(WSAEFAULT, "lpNetworkEvents is required");
            }
            EventObject e = hEventObject == null ? null : eventOf(hEventObject);
            lpNetworkEvents.lNetworkEvents = r.takeRecord(lpNetworkEvents.iErrorCode);
            if (e != null) {
                e.reset();
            }
            return 0;
        } catch (WsaException e) {
            return fail(e);
        }
    }

    /**
     * The record of a socket whose provider left stays readable, so the application can see its
     * {@code FD_CLOSE}/{@code WSAENETDOWN} (decisions 12).
     */
    private SocketRecord lookupForEvents(SOCKET s) throws WsaException {
        checkStarted();
        SocketRecord r = s == null ? null : sockets.get(s);
        if (r == null || r.isClosed()) {
            throw error(WSAENOTSOCK, s + " is not a socket of this bundle");
        }
        if (r.joinState() == SocketRecord.JoinState.PENDING) {
            throw error(WSAENOTCONN, "the join on " + s + " has not finished; wait for its event object");
        }
        return r;
    }

    @Override
    public int WSAWaitForMultipleEvents(int cEvents, WSAEVENT[] lphEvents, boolean fWaitAll, int dwTimeout,
                                        boolean fAlertable) {
        try {
            checkStarted();
            if (cEvents < 1 || cEvents > WSA_MAXIMUM_WAIT_EVENTS || lphEvents == null || lphEvents.length < cEvents) {
                throw error(WSA_INVALID_PARAMETER, "cEvents must be 1.." + WSA_MAXIMUM_WAIT_EVENTS
                        + " and lphEvents must hold that many events");
            }
            EventObject[] waitOn = new EventObject[cEvents];
            for (int i = 0; i < cEvents; i++) {
                waitOn[i] = eventOf(lphEvents[i]);
            }
            long deadline = dwTimeout == WSA_INFINITE ? Long.MAX_VALUE
                    : System.nanoTime() + Integer.toUnsignedLong(dwTimeout) * 1_000_000L;
            synchronized (eventMonitor) {
                while (true) {
                    int signalled = -1;
                    boolean all = true;
                    for (int i = 0; i < cEvents; i++) {
                        if (waitOn[i].isClosed()) {
                            throw error(WSA_INVALID_HANDLE, "event " + waitOn[i] + " was closed while waiting");
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
                    eventMonitor.wait(deadline == Long.MAX_VALUE ? 0 : ms);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(error(WSAEINTR, "the wait was interrupted"));
            return WSA_WAIT_FAILED;
        } catch (WsaException e) {
            fail(e);
            return WSA_WAIT_FAILED;
        }
    }

    // ============================== control ==============================

    @Override
    public int ioctlsocket(SOCKET s, int cmd, int[] argp) {
        try {
            SocketRecord r = usable(s);
            if (argp == null || argp.length < 1) {
                throw error(WSAEFAULT, "argp is required");
            }
            switch (cmd) {
                case FIONBIO:
                    r.setNonBlocking(argp[0] != 0);
                    return 0;
                case FIONREAD:
                    argp[0] = transportOf(r).available();
                    return 0;
                default:
                    throw error(WSAEINVAL, "ioctlsocket supports FIONBIO and FIONREAD; got 0x" + Integer.toHexString(cmd));
            }
        } catch (WsaException e) {
            return fail(e);
        }
    }

    @Override
    public int WSAIoctl(SOCKET s, int dwIoControlCode, Object lpvInBuffer, int cbInBuffer, Object lpvOutBuffer,
                        int cbOutBuffer, int[] lpcbBytesReturned) {
        try {
            SocketRecord r = usable(s);
            ProviderSocket t = transportOf(r);
            int returned = 0;
            switch (dwIoControlCode) {
                case SIO_MULTIPOINT_LOOPBACK:
                    t.ioctl(dwIoControlCode, IoctlBuffers.intIn(lpvInBuffer, cbInBuffer, "BOOL") != 0, null);
                    break;
                case SIO_MULTICAST_SCOPE:
                    int scope = IoctlBuffers.intIn(lpvInBuffer, cbInBuffer, "int scope");
                    if (scope < 0) {
                        throw error(WSAEINVAL, "the multicast scope must be 0 (this host) or more; got " + scope);
                    }
                    t.ioctl(dwIoControlCode, scope, null);
                    break;
                case SIO_SET_QOS:
                    QosPreconditions.requireQosProvider(r.entry.info);
                    t.ioctl(dwIoControlCode, new QOS(IoctlBuffers.qosIn(lpvInBuffer, cbInBuffer)), null);
                    break;
                case SIO_GET_QOS:
                    QosPreconditions.requireQosProvider(r.entry.info);
                    QOS out = IoctlBuffers.qosOut(lpvOutBuffer, cbOutBuffer);
                    t.ioctl(dwIoControlCode, lpvInBuffer, out);
                    r.rearm(FD_QOS_BIT); // §4: SIO_GET_QOS re-arms FD_QOS
                    returned = QOS.SIZE;
                    break;
                case FIONBIO:
                case FIONREAD:
                    int[] arg = lpvInBuffer instanceof int[] ? (int[]) lpvInBuffer : new int[1];
                    if (ioctlsocket(s, dwIoControlCode, arg) != 0) {
                        return SOCKET_ERROR;
                    }
                    if (dwIoControlCode == FIONREAD && lpvOutBuffer instanceof int[]) {
                        ((int[]) lpvOutBuffer)[0] = arg[0];
                        returned = 4;
                    }
                    break;
                default:
                    throw error(WSAEINVAL, "unknown ioctl 0x" + Integer.toHexString(dwIoControlCode));
            }
            if (lpcbBytesReturned != null && lpcbBytesReturned.length > 0) {
                lpcbBytesReturned[0] = returned;
            }
            return 0;
        } catch (WsaException e) {
            return fail(e);
        }
    }

    // ============================== data ==============================

    @Override
    public int send(SOCKET s, byte[] buf, int len, int flags) {
        return sendto(s, buf, len, flags, null, 0);
    }

    @Override
    public int sendto(SOCKET s, byte[] buf, int len, int flags, SOCKADDR to, int tolen) {
        try {
            SocketRecord r = usable(s);
            if (r.direction() == JL_RECEIVER_ONLY) {
                throw error(WSAESHUTDOWN, s + " joined with JL_RECEIVER_ONLY and cannot send (decisions 6)");
            }
            checkBuffer(buf, len);
            SOCKADDR dest = null;
            if (to != null) {
                checkName(r, to, tolen);
                dest = new SOCKADDR().set(to);
            }
            ProviderSocket t = transportOf(r);
            ByteBuffer message = ByteBuffer.wrap(buf, 0, len);
            while (true) {
                long seen = r.changes();
                try {
                    int n = t.send(message, dest);
                    r.countSent(n);
                    return n;
                } catch (WsaException e) {
                    if (e.code() != WSAEWOULDBLOCK) {
                        r.countError(e.code());
                        throw r.providerFailure(e);
                    }
                    r.rearm(FD_WRITE_BIT); // §4: FD_WRITE is re-armed by a send that would block
                    if (r.isNonBlocking()) {
                        throw e;
                    }
                    r.awaitChange(seen);
                }
            }
        } catch (WsaException e) {
            return fail(e);
        }
    }

    @Override
    public int recv(SOCKET s, byte[] buf, int len, int flags) {
        return receive(s, buf, len, flags, null, null);
    }

    @Override
    public int recvfrom(SOCKET s, byte[] buf, int len, int flags, SOCKADDR from, int[] fromlen) {
        return receive(s, buf, len, flags, from, fromlen);
    }

    private int receive(SOCKET s, byte[] buf, int len, int flags, SOCKADDR from, int[] fromlen) {
        try {
            SocketRecord r = usable(s);
            if (r.direction() == JL_SENDER_ONLY) {
                throw error(WSAESHUTDOWN, s + " joined with JL_SENDER_ONLY and cannot receive (decisions 6)");
            }
            checkBuffer(buf, len);
            if (from != null && (fromlen == null || fromlen.length < 1 || fromlen[0] < r.entry.info.iMinSockAddr)) {
                throw error(WSAEFAULT, "fromlen must be at least " + r.entry.info.iMinSockAddr + " bytes");
            }
            if ((flags & ~MSG_PEEK) != 0) {
                throw error(WSAEOPNOTSUPP, "only MSG_PEEK is supported among recv flags");
            }
            ProviderSocket t = transportOf(r);
            ByteBuffer into = ByteBuffer.wrap(buf, 0, len);
            SOCKADDR sender = from == null ? null : new SOCKADDR();
            while (true) {
                long seen = r.changes();
                try {
                    int n = t.receive(into, sender, (flags & MSG_PEEK) != 0);
                    fillFrom(from, fromlen, sender);
                    if ((flags & MSG_PEEK) == 0) {
                        r.countReceived(n);
                    }
                    return n;
                } catch (WsaException e) {
                    if (e.code() != WSAEWOULDBLOCK) {
                        r.countError(e.code());
                    }
                    if (e.code() == WSAEMSGSIZE) {
                        fillFrom(from, fromlen, sender);
                        throw e;
                    }
                    if (e.code() != WSAEWOULDBLOCK || r.isNonBlocking()) {
                        throw r.providerFailure(e);
                    }
                    r.awaitChange(seen);
                } finally {
                    // §4: FD_READ is re-armed by every receive; data still queued is reported again at once
                    r.rearm(FD_READ_BIT);
                    if (t.available() > 0) {
                        r.raise(FD_READ_BIT, 0, false);
                    }
                }
            }
        } catch (WsaException e) {
            return fail(e);
        }
    }

    private static void fillFrom(SOCKADDR from, int[] fromlen, SOCKADDR sender) {
        if (from != null && sender != null && sender.size() > 0) {
            from.set(sender);
            fromlen[0] = sender.size();
        }
    }

    private static void checkBuffer(byte[] buf, int len) throws WsaException {
        if (buf == null || len < 0 || len > buf.length) {
            throw error(WSAEFAULT, "buf must hold at least len bytes (len " + len + ", buf "
                    + (buf == null ? "null" : buf.length + " bytes") + ")");
        }
    }

    @Override
    public int shutdown(SOCKET s, int how) {
        try {
            SocketRecord r = usable(s);
            if (how != SD_RECEIVE && how != SD_SEND && how != SD_BOTH) {
                throw error(WSAEINVAL, "how must be SD_RECEIVE, SD_SEND or SD_BOTH; got " + how);
            }
            transportOf(r).shutdown(how);
            return 0;
        } catch (WsaException e) {
            return fail(e);
        }
    }

    @Override
    public int closesocket(SOCKET s) {
        try {
            checkStarted();
            SocketRecord r = s == null ? null : sockets.remove(s);
            if (r == null) {
                throw error(WSAENOTSOCK, s + " is not a socket of this bundle");
            }
            SocketRecord invited = r.pendingInvitation();
            release(r.close(), WSAEINTR, "closesocket cancelled the operation");
            if (invited != null) {
                // closing the c_root ends the session: the invitation still pending dies with it, and a thread
                // blocked in it wakes (the provider completes nothing after close)
                JoinOperation op = invited.endPendingJoin();
                if (op != null) {
                    op.cancel(WSAEINTR, "closesocket on the root " + s + " ended the invitation");
                }
                invited.raise(FD_CLOSE_BIT, 0, true);
            }
            return 0;
        } catch (WsaException e) {
            return fail(e);
        }
    }

    // ============================== names and options ==============================

    @Override
    public int getsockname(SOCKET s, SOCKADDR name, int[] namelen) {
        try {
            SocketRecord r = usable(s);
            SOCKADDR local = transportOf(r).localAddress();
            if (local == null) {
                throw error(WSAEINVAL, s + " is not bound; bind it or join first");
            }
            return copyName(local, name, namelen);
        } catch (WsaException e) {
            return fail(e);
        }
    }

    @Override
    public int getpeername(SOCKET s, SOCKADDR name, int[] namelen) {
        try {
            SocketRecord r = usable(s);
            SOCKADDR peer = transportOf(r).peerAddress();
            if (peer == null) {
                throw error(WSAENOTCONN, s + " is not connected to a peer");
            }
            return copyName(peer, name, namelen);
        } catch (WsaException e) {
            return fail(e);
        }
    }

    private static int copyName(SOCKADDR value, SOCKADDR name, int[] namelen) throws WsaException {
        if (name == null || namelen == null || namelen.length < 1 || namelen[0] < value.size()) {
            throw error(WSAEFAULT, "namelen must be at least " + value.size() + " bytes");
        }
        name.set(value);
        namelen[0] = value.size();
        return 0;
    }

    @Override
    public int getsockopt(SOCKET s, int level, int optname, Object optval, int[] optlen) {
        try {
            SocketRecord r = usable(s); // decisions 7: a pending descriptor answers only closesocket
            if (level != SOL_SOCKET) {
                throw error(WSAEINVAL, "only SOL_SOCKET options are supported; got level " + level);
            }
            if (optlen == null || optlen.length < 1) {
                throw error(WSAEFAULT, "optlen is required");
            }
            switch (optname) {
                case SO_PROTOCOL_INFOA:
                case SO_PROTOCOL_INFOW:
                    if (!(optval instanceof WSAPROTOCOL_INFO) || optlen[0] < WSAPROTOCOL_INFO.SIZE) {
                        throw error(WSAEFAULT, "SO_PROTOCOL_INFO needs a WSAPROTOCOL_INFO and optlen >= "
                                + WSAPROTOCOL_INFO.SIZE);
                    }
                    ((WSAPROTOCOL_INFO) optval).set(r.entry.info);
                    optlen[0] = WSAPROTOCOL_INFO.SIZE;
                    return 0;
                case SO_ERROR:
                    IoctlBuffers.intOut(optval, optlen[0])[0] = r.takeSoError();
                    optlen[0] = 4;
                    WSASetLastError(0);
                    return 0;
                case SO_TYPE:
                    IoctlBuffers.intOut(optval, optlen[0])[0] = r.entry.info.iSocketType;
                    optlen[0] = 4;
                    return 0;
                case SO_MAX_MSG_SIZE:
                    IoctlBuffers.intOut(optval, optlen[0])[0] = r.entry.info.dwMessageSize;
                    optlen[0] = 4;
                    return 0;
                default:
                    throw error(WSAENOPROTOOPT, "option 0x" + Integer.toHexString(optname) + " is not supported");
            }
        } catch (WsaException e) {
            return fail(e);
        }
    }

    // ============================== introspection (shell, tests) ==============================

    /** Descriptors open in this process. */
    public int socketCount() {
        return sockets.size();
    }
}
