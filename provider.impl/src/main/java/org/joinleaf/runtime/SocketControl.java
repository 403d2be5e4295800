package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;

import org.joinleaf.api.FLOWSPEC;
import org.joinleaf.api.QOS;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.WsaException;

/**
 * The calls that set up or inspect a socket without moving data: {@code bind}, {@code listen}, {@code shutdown},
 * {@code ioctlsocket}, {@code WSAIoctl}, {@code getsockname}, {@code getpeername} and {@code getsockopt}.
 */
final class SocketControl {
    private final DescriptorTable table;
    private final ErrorBoundary boundary;
    private final SocketOptions options;

    SocketControl(DescriptorTable table, ErrorBoundary boundary) {
        this.table = table;
        this.boundary = boundary;
        this.options = new SocketOptions(table);
    }

    int setsockopt(SOCKET s, int level, int optname, Object optval, int optlen) throws WsaException {
        return options.setsockopt(s, level, optname, optval, optlen);
    }

    int bind(SOCKET s, SOCKADDR name, int namelen) throws WsaException {
        SocketRecord r = table.usable(s);
        SocketArgs.checkName(r, name, namelen);
        DescriptorTable.transportOf(r).bind(new SOCKADDR().set(name));
        return 0;
    }

    int listen(SOCKET s, int backlog) throws WsaException {
        SocketRecord r = table.usable(s);
        DescriptorTable.transportOf(r).listen(Math.max(backlog, 1));
        r.listening();
        return 0;
    }

    int shutdown(SOCKET s, int how) throws WsaException {
        SocketRecord r = table.usable(s);
        if (how != SD_RECEIVE && how != SD_SEND && how != SD_BOTH) {
            throw new WsaException(WSAEINVAL, "how must be SD_RECEIVE, SD_SEND or SD_BOTH; got " + how);
        }
        DescriptorTable.transportOf(r).shutdown(how);
        return 0;
    }

    int ioctlsocket(SOCKET s, int cmd, int[] argp) throws WsaException {
        SocketRecord r = table.usable(s);
        if (argp == null || argp.length < 1) {
            throw new WsaException(WSAEFAULT, "argp is required");
        }
        switch (cmd) {
            case FIONBIO:
                r.setNonBlocking(argp[0] != 0);
                return 0;
            case FIONREAD: { // a held message is the next one a receive gets (decision 27)
                int held = r.partialBytes();
                argp[0] = held > 0 ? held : DescriptorTable.transportOf(r).available();
                return 0;
            }
            default:
                throw new WsaException(WSAEINVAL, "ioctlsocket supports FIONBIO and FIONREAD; got 0x"
                        + Integer.toHexString(cmd));
        }
    }

    int ioctl(SOCKET s, int dwIoControlCode, Object lpvInBuffer, int cbInBuffer, Object lpvOutBuffer,
              int cbOutBuffer, int[] lpcbBytesReturned) throws WsaException {
        SocketRecord r = table.usable(s);
        ProviderSocket t = DescriptorTable.transportOf(r);
        int returned = 0;
        switch (dwIoControlCode) {
            case SIO_MULTIPOINT_LOOPBACK:
                t.ioctl(dwIoControlCode, IoctlBuffers.intIn(lpvInBuffer, cbInBuffer, "BOOL") != 0, null);
                break;
            case SIO_MULTICAST_SCOPE:
                int scope = IoctlBuffers.intIn(lpvInBuffer, cbInBuffer, "int scope");
                if (scope < 0) {
                    throw new WsaException(WSAEINVAL, "the multicast scope must be 0 (this host) or more; got " + scope);
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
                blankUnusedDirection(r.direction(), out);
                r.afterGetQos();
                returned = QOS.SIZE;
                break;
            case FIONBIO:
            case FIONREAD:
                int[] arg = lpvInBuffer instanceof int[] ? (int[]) lpvInBuffer : new int[1];
                ioctlsocket(s, dwIoControlCode, arg);
                if (dwIoControlCode == FIONREAD && lpvOutBuffer instanceof int[]) {
                    ((int[]) lpvOutBuffer)[0] = arg[0];
                    returned = 4;
                }
                break;
            case SIO_ADDRESS_LIST_QUERY:
                returned = LocalAddresses.query(r.entry.info.iAddressFamily, lpvOutBuffer, cbOutBuffer,
                        lpcbBytesReturned);
                break;
            default:
                throw new WsaException(WSAEINVAL, "unknown ioctl 0x" + Integer.toHexString(dwIoControlCode));
        }
        if (lpcbBytesReturned != null && lpcbBytesReturned.length > 0) {
            lpcbBytesReturned[0] = returned;
        }
        return 0;
    }

    /** decisions 21, R34: the flowspec of a direction the join does not use is ignored, so not in effect. */
    private static void blankUnusedDirection(int direction, QOS out) {
        if (direction == JL_RECEIVER_ONLY) {
            out.SendingFlowspec = new FLOWSPEC();
        } else if (direction == JL_SENDER_ONLY) {
            out.ReceivingFlowspec = new FLOWSPEC();
        }
    }

    int getsockname(SOCKET s, SOCKADDR name, int[] namelen) throws WsaException {
        SocketRecord r = table.usable(s);
        SOCKADDR local = DescriptorTable.transportOf(r).localAddress();
        if (local == null) {
            throw new WsaException(WSAEINVAL, s + " is not bound; bind it or join first");
        }
        return SocketArgs.copyName(local, name, namelen);
    }

    int getpeername(SOCKET s, SOCKADDR name, int[] namelen) throws WsaException {
        SocketRecord r = table.usable(s);
        SOCKADDR peer = DescriptorTable.transportOf(r).peerAddress();
        if (peer == null) {
            throw new WsaException(WSAENOTCONN, s + " is not connected to a peer");
        }
        return SocketArgs.copyName(peer, name, namelen);
    }

    int getsockopt(SOCKET s, int level, int optname, Object optval, int[] optlen) throws WsaException {
        SocketRecord r = table.usable(s); // decisions 7: a pending descriptor answers only closesocket
        if (level != SOL_SOCKET) {
            return options.getsockopt(r, level, optname, optval, optlen);
        }
        if (optlen == null || optlen.length < 1) {
            throw new WsaException(WSAEFAULT, "optlen is required");
        }
        switch (optname) {
            case SO_PROTOCOL_INFOA:
            case SO_PROTOCOL_INFOW:
                if (!(optval instanceof WSAPROTOCOL_INFO) || optlen[0] < WSAPROTOCOL_INFO.SIZE) {
                    throw new WsaException(WSAEFAULT, "SO_PROTOCOL_INFO needs a WSAPROTOCOL_INFO and optlen >= "
                            + WSAPROTOCOL_INFO.SIZE);
                }
                ((WSAPROTOCOL_INFO) optval).set(r.entry.info);
                optlen[0] = WSAPROTOCOL_INFO.SIZE;
                return 0;
            case SO_ERROR:
                IoctlBuffers.intOut(optval, optlen[0])[0] = r.takeSoError();
                optlen[0] = 4;
                boundary.set(0, "");
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
                return options.getsockopt(r, level, optname, optval, optlen);
        }
    }
}
