package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.joinleaf.api.ADDRINFO;
import org.joinleaf.api.FD_SET;
import org.joinleaf.api.LPCONDITIONPROC;
import org.joinleaf.api.LPWSAOVERLAPPED_COMPLETION_ROUTINE;
import org.joinleaf.api.QOS;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.TIMEVAL;
import org.joinleaf.api.WSABUF;
import org.joinleaf.api.WSADATA;
import org.joinleaf.api.WSAEVENT;
import org.joinleaf.api.WSANETWORKEVENTS;
import org.joinleaf.api.WSAOVERLAPPED;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.api.Winsock;
import org.joinleaf.runtime.dto.SocketDTO;
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
 * bundle-scoped), with its own startup count and per-thread last error. It is ws2_32's front: every API call goes
 * through the one {@link ErrorBoundary}, so a failure is always a return value plus the last error and nothing a
 * provider throws reaches the application. The work is done by the subsystems named for it: {@link DescriptorTable},
 * {@link CatalogSockets}, {@link Joins}, {@link Acceptor}, {@link EventObjects}, {@link DataPath} and
 * {@link SocketControl}; issue 13's calls in {@link SocketOptions}, {@link DatagramConnect}, {@link ScatterGather},
 * {@link Selection}, {@link AddressText}, {@link NameService}, {@link LocalAddresses} and {@link ByteOrderCalls}.
 */
@Component(service = Winsock.class, scope = ServiceScope.BUNDLE)
public final class WinsockProcess implements Winsock, ProviderCatalog.Listener {
    /** Service property of the {@link LPCONDITIONPROC} that judges {@code WSAAccept} calls without a condition. */
    public static final String DEFAULT_CONDITION = "joinleaf.condition";

    private final ProviderCatalog catalog;
    /** The consuming bundle, {@code symbolic.name [id]}: how operators tell processes apart. */
    private final String owner;
    private final ErrorBoundary boundary = new ErrorBoundary();
    private final Startups startups = new Startups();
    /** The default condition ({@link #DEFAULT_CONDITION}{@code =default}), or null: read once per WSAAccept. */
    private final AtomicReference<LPCONDITIONPROC> defaultCondition = new AtomicReference<>();
    private final DescriptorTable table = new DescriptorTable(startups, boundary);
    private final CatalogSockets creation;
    private final Joins joins = new Joins(table);
    private final Acceptor acceptor = new Acceptor(table, defaultCondition);
    private final EventObjects events = new EventObjects(startups, table);
    private final DataPath data = new DataPath(table);
    private final SocketControl control = new SocketControl(table, boundary);
    private final ScatterGather scatterGather = new ScatterGather(table, data);
    // The data calls' bodies, made once: a lambda capturing a call's arguments was allocated per call (issue 14).
    private final ErrorBoundary.SendOp sendConnected = (s, buf, len, to, tolen) -> data.sendConnected(s, buf, len);
    private final ErrorBoundary.SendOp sendTo = data::send;
    private final ErrorBoundary.ReceiveOp receive = scatterGather::recv;
    private final Selection selection = new Selection(table);
    private final ByteOrderCalls byteOrder = new ByteOrderCalls(table);

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
        this.creation = new CatalogSockets(catalog, startups, table, boundary);
        table.watchRoots(new SessionBeans(catalog, table, owner));
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

    /** This process's open sockets, for operators. */
    List<SocketDTO> socketDTOs() {
        return table.dtos(owner);
    }

    /** The consuming bundle released the service (or stopped): the process ends, as if it called WSACleanup. */
    @Deactivate
    public void terminate() {
        catalog.removeListener(this);
        startups.reset();
        table.closeAll();
        events.closeAll();
    }

    @Override
    public void providerGone(ProviderRegistration registration) {
        table.providerGone(registration);
    }

    /** Shortens the bound on a blocking join or connect (decisions 23); for tests. */
    void blockingJoinBound(long millis) {
        joins.blockingBound(millis);
    }

    /** Descriptors open in this process. */
    public int socketCount() {
        return table.size();
    }

    // ============================== errors and startup ==============================

    @Override
    public int WSAGetLastError() {
        return boundary.lastError();
    }

    @Override
    public void WSASetLastError(int iError) {
        boundary.set(iError, iError == 0 ? "" : "set by WSASetLastError");
    }

    @Override
    public String WSAGetLastErrorMessage() {
        return boundary.lastErrorMessage();
    }

    /** WSAStartup answers with its return value, not through the last error (R1: there is no process yet). */
    @Override
    public int WSAStartup(short wVersionRequested, WSADATA lpWSAData) {
        return boundary.call("WSAStartup", () -> startups.startup(wVersionRequested, lpWSAData), WSASYSNOTREADY);
    }

    @Override
    public int WSACleanup() {
        return boundary.call("WSACleanup", () -> {
            if (startups.down()) {
                // decisions 13; event objects stay until WSACloseEvent or the process ends (decisions 18)
                table.closeAll();
            }
            return 0;
        });
    }

    // ============================== the API, each call through the boundary ==============================

    @Override
    public int WSAEnumProtocols(int[] lpiProtocols, WSAPROTOCOL_INFO[] lpProtocolBuffer, int[] lpdwBufferLength) {
        return boundary.call("WSAEnumProtocols",
                () -> creation.enumProtocols(lpiProtocols, lpProtocolBuffer, lpdwBufferLength));
    }

    @Override
    public SOCKET WSASocket(int af, int type, int protocol, WSAPROTOCOL_INFO lpProtocolInfo, int g, int dwFlags) {
        return boundary.call("WSASocket", () -> creation.socket(af, type, protocol, lpProtocolInfo, g, dwFlags),
                SOCKET.INVALID_SOCKET);
    }

    @Override
    public int bind(SOCKET s, SOCKADDR name, int namelen) {
        return boundary.call("bind", () -> control.bind(s, name, namelen));
    }

    @Override
    public int listen(SOCKET s, int backlog) {
        return boundary.call("listen", () -> control.listen(s, backlog));
    }

    @Override
    public SOCKET accept(SOCKET s, SOCKADDR addr, int[] addrlen) {
        return WSAAccept(s, addr, addrlen, null, 0);
    }

    @Override
    public SOCKET WSAAccept(SOCKET s, SOCKADDR addr, int[] addrlen, LPCONDITIONPROC lpfnCondition,
                            long dwCallbackData) {
        return boundary.call("WSAAccept", () -> acceptor.accept(s, addr, addrlen, lpfnCondition, dwCallbackData),
                SOCKET.INVALID_SOCKET);
    }

    @Override
    public int WSAConnect(SOCKET s, SOCKADDR name, int namelen, WSABUF lpCallerData, WSABUF lpCalleeData,
                          QOS lpSQOS, QOS lpGQOS) {
        return boundary.call("WSAConnect", () -> joins.connect(s, name, namelen, lpCallerData, lpCalleeData, lpSQOS));
    }

    @Override
    public SOCKET WSAJoinLeaf(SOCKET s, SOCKADDR name, int namelen, WSABUF lpCallerData, WSABUF lpCalleeData,
                              QOS lpSQOS, QOS lpGQOS, int dwFlags) {
        return boundary.call("WSAJoinLeaf",
                () -> joins.join(s, name, namelen, lpCallerData, lpCalleeData, lpSQOS, dwFlags), SOCKET.INVALID_SOCKET);
    }

    @Override
    public WSAEVENT WSACreateEvent() {
        return boundary.call("WSACreateEvent", events::create, null);
    }

    @Override
    public boolean WSACloseEvent(WSAEVENT hEvent) {
        return boundary.call("WSACloseEvent", () -> events.close(hEvent), false);
    }

    @Override
    public boolean WSASetEvent(WSAEVENT hEvent) {
        return boundary.call("WSASetEvent", () -> events.set(hEvent), false);
    }

    @Override
    public boolean WSAResetEvent(WSAEVENT hEvent) {
        return boundary.call("WSAResetEvent", () -> events.reset(hEvent), false);
    }

    @Override
    public int WSAEventSelect(SOCKET s, WSAEVENT hEventObject, int lNetworkEvents) {
        return boundary.call("WSAEventSelect", () -> events.select(s, hEventObject, lNetworkEvents));
    }

    @Override
    public int WSAEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject, WSANETWORKEVENTS lpNetworkEvents) {
        return boundary.call("WSAEnumNetworkEvents", () -> events.enumNetworkEvents(s, hEventObject, lpNetworkEvents));
    }

    @Override
    public int WSAWaitForMultipleEvents(int cEvents, WSAEVENT[] lphEvents, boolean fWaitAll, int dwTimeout,
                                        boolean fAlertable) {
        return boundary.call("WSAWaitForMultipleEvents",
                () -> events.waitForMultiple(cEvents, lphEvents, fWaitAll, dwTimeout), WSA_WAIT_FAILED);
    }

    @Override
    public int ioctlsocket(SOCKET s, int cmd, int[] argp) {
        return boundary.call("ioctlsocket", () -> control.ioctlsocket(s, cmd, argp));
    }

    @Override
    public int WSAIoctl(SOCKET s, int dwIoControlCode, Object lpvInBuffer, int cbInBuffer, Object lpvOutBuffer,
                        int cbOutBuffer, int[] lpcbBytesReturned) {
        return boundary.call("WSAIoctl", () -> control.ioctl(s, dwIoControlCode, lpvInBuffer, cbInBuffer,
                lpvOutBuffer, cbOutBuffer, lpcbBytesReturned));
    }

    @Override
    public int send(SOCKET s, byte[] buf, int len, int flags) {
        return boundary.send("send", sendConnected, s, buf, len, null, 0);
    }

    @Override
    public int sendto(SOCKET s, byte[] buf, int len, int flags, SOCKADDR to, int tolen) {
        return boundary.send("send", sendTo, s, buf, len, to, tolen);
    }

    @Override
    public int recv(SOCKET s, byte[] buf, int len, int flags) {
        return recvfrom(s, buf, len, flags, null, null);
    }

    @Override
    public int recvfrom(SOCKET s, byte[] buf, int len, int flags, SOCKADDR from, int[] fromlen) {
        return boundary.receive("recv", receive, s, buf, len, flags, from, fromlen);
    }

    @Override
    public int shutdown(SOCKET s, int how) {
        return boundary.call("shutdown", () -> control.shutdown(s, how));
    }

    @Override
    public int closesocket(SOCKET s) {
        return boundary.call("closesocket", () -> table.close(s));
    }

    @Override
    public int getsockname(SOCKET s, SOCKADDR name, int[] namelen) {
        return boundary.call("getsockname", () -> control.getsockname(s, name, namelen));
    }

    @Override
    public int getpeername(SOCKET s, SOCKADDR name, int[] namelen) {
        return boundary.call("getpeername", () -> control.getpeername(s, name, namelen));
    }

    @Override
    public int getsockopt(SOCKET s, int level, int optname, Object optval, int[] optlen) {
        return boundary.call("getsockopt", () -> control.getsockopt(s, level, optname, optval, optlen));
    }

    // ============================== issue 13: the calls ported programs use ==============================

    @Override
    public int setsockopt(SOCKET s, int level, int optname, Object optval, int optlen) {
        return boundary.call("setsockopt", () -> control.setsockopt(s, level, optname, optval, optlen));
    }

    @Override
    public SOCKET socket(int af, int type, int protocol) {
        return WSASocket(af, type, protocol, null, 0, 0);
    }

    @Override
    public int connect(SOCKET s, SOCKADDR name, int namelen) {
        return WSAConnect(s, name, namelen, null, null, null, null);
    }

    @Override
    public int WSASend(SOCKET s, WSABUF[] lpBuffers, int dwBufferCount, int[] lpNumberOfBytesSent, int dwFlags,
                       WSAOVERLAPPED lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) {
        return boundary.call("WSASend", () -> {
            try {
                return scatterGather.send(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, null, 0,
                        lpOverlapped, lpCompletionRoutine);
            } catch (WsaException e) {
                throw DataPath.connectedOnly(e);
            }
        });
    }

    @Override
    public int WSASendTo(SOCKET s, WSABUF[] lpBuffers, int dwBufferCount, int[] lpNumberOfBytesSent, int dwFlags,
                         SOCKADDR lpTo, int iTolen, WSAOVERLAPPED lpOverlapped,
                         LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) {
        return boundary.call("WSASendTo", () -> scatterGather.send(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent,
                dwFlags, lpTo, iTolen, lpOverlapped, lpCompletionRoutine));
    }

    @Override
    public int WSARecv(SOCKET s, WSABUF[] lpBuffers, int dwBufferCount, int[] lpNumberOfBytesRecvd, int[] lpFlags,
                       WSAOVERLAPPED lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) {
        return WSARecvFrom(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, null, null, lpOverlapped,
                lpCompletionRoutine);
    }

    @Override
    public int WSARecvFrom(SOCKET s, WSABUF[] lpBuffers, int dwBufferCount, int[] lpNumberOfBytesRecvd,
                           int[] lpFlags, SOCKADDR lpFrom, int[] lpFromlen, WSAOVERLAPPED lpOverlapped,
                           LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) {
        return boundary.call("WSARecvFrom", () -> scatterGather.receive(s, lpBuffers, dwBufferCount,
                lpNumberOfBytesRecvd, lpFlags, lpFrom, lpFromlen, lpOverlapped, lpCompletionRoutine));
    }

    @Override
    public int select(int nfds, FD_SET readfds, FD_SET writefds, FD_SET exceptfds, TIMEVAL timeout) {
        return boundary.call("select", () -> selection.select(readfds, writefds, exceptfds, timeout));
    }

    @Override
    public int WSAIoctl(SOCKET s, int dwIoControlCode, Object lpvInBuffer, int cbInBuffer, Object lpvOutBuffer,
                        int cbOutBuffer, int[] lpcbBytesReturned, WSAOVERLAPPED lpOverlapped,
                        LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) {
        return boundary.call("WSAIoctl", () -> {
            ScatterGather.refuseOverlapped(lpOverlapped, lpCompletionRoutine);
            return control.ioctl(s, dwIoControlCode, lpvInBuffer, cbInBuffer, lpvOutBuffer, cbOutBuffer,
                    lpcbBytesReturned);
        });
    }

    @Override
    public int getaddrinfo(String pNodeName, String pServiceName, ADDRINFO pHints, ADDRINFO[] ppResult) {
        int ok = boundary.call("getaddrinfo", () -> {
            startups.check();
            if (ppResult == null || ppResult.length < 1) {
                throw new WsaException(WSAEFAULT, "ppResult (ADDRINFO[1]) is required");
            }
            ppResult[0] = NameService.getaddrinfo(pNodeName, pServiceName, pHints);
            return 0;
        });
        return ok == 0 ? clearedError() : boundary.lastError(); // returned, and the last error as well
    }

    private int clearedError() {
        boundary.set(0, "");
        return 0;
    }

    @Override
    public void freeaddrinfo(ADDRINFO pAddrInfo) {
        for (ADDRINFO a = pAddrInfo; a != null; ) {
            ADDRINFO next = a.ai_next;
            a.ai_next = null;
            a = next;
        }
    }

    @Override
    public int getnameinfo(SOCKADDR pSockaddr, int SockaddrLength, StringBuilder pNodeBuffer, int NodeBufferSize,
                           StringBuilder pServiceBuffer, int ServiceBufferSize, int Flags) {
        int ok = boundary.call("getnameinfo", () -> {
            startups.check();
            NameService.getnameinfo(pSockaddr, SockaddrLength, pNodeBuffer, NodeBufferSize, pServiceBuffer,
                    ServiceBufferSize, Flags);
            return 0;
        });
        return ok == 0 ? clearedError() : boundary.lastError();
    }

    @Override
    public int WSAStringToAddress(String AddressString, int AddressFamily, WSAPROTOCOL_INFO lpProtocolInfo,
                                  SOCKADDR lpAddress, int[] lpAddressLength) {
        return boundary.call("WSAStringToAddress", () -> {
            startups.check();
            return AddressText.stringToAddress(AddressString, AddressFamily, lpAddress, lpAddressLength);
        });
    }

    @Override
    public int WSAAddressToString(SOCKADDR lpsaAddress, int dwAddressLength, WSAPROTOCOL_INFO lpProtocolInfo,
                                  StringBuilder lpszAddressString, int[] lpdwAddressStringLength) {
        return boundary.call("WSAAddressToString", () -> {
            startups.check();
            if (lpdwAddressStringLength == null || lpdwAddressStringLength.length < 1) {
                throw new WsaException(WSAEFAULT, "lpdwAddressStringLength is required");
            }
            String text = AddressText.addressToString(lpsaAddress, dwAddressLength);
            int size = lpdwAddressStringLength[0];
            lpdwAddressStringLength[0] = text.length() + 1;
            AddressText.copyOut(text, lpszAddressString, size, WSAEFAULT, "lpszAddressString");
            return 0;
        });
    }

    @Override
    public int inet_addr(String cp) {
        return AddressText.inetAddr(cp);
    }

    @Override
    public String inet_ntoa(int in) {
        return AddressText.inetNtoa(in);
    }

    @Override
    public int inet_pton(int Family, String pszAddrString, byte[] pAddrBuf) {
        int[] result = {-1};
        boundary.call("inet_pton", () -> {
            if (Family != AF_INET && Family != AF_INET6) {
                throw new WsaException(WSAEAFNOSUPPORT, "inet_pton takes AF_INET or AF_INET6; got "
                        + Family);
            }
            int size = Family == AF_INET ? 4 : 16;
            if (pszAddrString == null || pAddrBuf == null || pAddrBuf.length < size) {
                throw new WsaException(WSAEFAULT, "pszAddrString and a pAddrBuf of " + size
                        + " bytes are required");
            }
            byte[] b = AddressText.parse(Family, pszAddrString);
            if (b != null) {
                System.arraycopy(b, 0, pAddrBuf, 0, size);
            }
            result[0] = b == null ? 0 : 1;
            return 0;
        });
        return result[0];
    }

    @Override
    public String inet_ntop(int Family, byte[] pAddr, StringBuilder pStringBuf, int StringBufSize) {
        return boundary.call("inet_ntop", () -> {
            if (Family != AF_INET && Family != AF_INET6) {
                throw new WsaException(WSAEAFNOSUPPORT, "inet_ntop takes AF_INET or AF_INET6; got "
                        + Family);
            }
            int size = Family == AF_INET ? 4 : 16;
            if (pAddr == null || pAddr.length < size) {
                throw new WsaException(WSA_INVALID_PARAMETER, "pAddr must hold " + size + " bytes");
            }
            String text = AddressText.format(Arrays.copyOf(pAddr, size));
            AddressText.copyOut(text, pStringBuf, StringBufSize, WSA_INVALID_PARAMETER, "pStringBuf");
            return text;
        }, null);
    }

    @Override
    public int gethostname(StringBuilder name, int namelen) {
        return boundary.call("gethostname", () -> {
            startups.check();
            AddressText.copyOut(NameService.hostName(), name, namelen, WSAEFAULT, "name");
            return 0;
        });
    }

    @Override
    public int WSAHtons(SOCKET s, short hostshort, short[] lpnetshort) {
        return boundary.call("WSAHtons", () -> byteOrder.shortConversion(s, hostshort, lpnetshort));
    }

    @Override
    public int WSAHtonl(SOCKET s, int hostlong, int[] lpnetlong) {
        return boundary.call("WSAHtonl", () -> byteOrder.intConversion(s, hostlong, lpnetlong));
    }

    @Override
    public int WSANtohs(SOCKET s, short netshort, short[] lphostshort) {
        return boundary.call("WSANtohs", () -> byteOrder.shortConversion(s, netshort, lphostshort));
    }

    @Override
    public int WSANtohl(SOCKET s, int netlong, int[] lphostlong) {
        return boundary.call("WSANtohl", () -> byteOrder.intConversion(s, netlong, lphostlong));
    }
}
