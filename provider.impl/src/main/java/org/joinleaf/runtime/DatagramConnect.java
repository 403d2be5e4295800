package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;

import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.spi.ConnectCompletion;
import org.joinleaf.spi.ConnectRequest;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.WsaException;

/**
 * {@code connect}/{@code WSAConnect} on a connectionless socket (issue 13): it sets, changes, or with a name of
 * family {@code AF_UNSPEC} or an address of zeros ({@code ADDR_ANY}) clears the default destination, any number of times, also on a multicast socket after
 * {@code WSAJoinLeaf}; never {@code WSAEISCONN}, which is for connection-oriented sockets. Nothing goes on the
 * wire, so it completes at once whatever the blocking mode (no {@code WSAEWOULDBLOCK}) and does not move the
 * socket's state: a joined socket stays a member. The provider gets the name as given, {@code AF_UNSPEC} included, and {@code ADDR_ANY} as {@code AF_UNSPEC}.
 */
final class DatagramConnect {
    private DatagramConnect() {
    }

    /** A datagram entry: connect names a default destination instead of making a connection. */
    static boolean isConnectionless(WSAPROTOCOL_INFO info) {
        return info.has(XP1_CONNECTIONLESS) || info.iSocketType == SOCK_DGRAM;
    }

    static int connect(SocketRecord r, SOCKET s, SOCKADDR name, int namelen, long boundNanos) throws WsaException {
        if (name == null) {
            throw new WsaException(WSAEFAULT, "name is required (AF_UNSPEC clears the default destination)");
        }
        SOCKADDR target = new SOCKADDR().set(name);
        if (name.sa_family != AF_UNSPEC) {
            SocketArgs.checkName(r, name, namelen);
            if (name.isAny()) { // "filled with zeros, the socket will be disconnected" (connect); Linux: this host
                target = new SOCKADDR();
            }
        }
        ProviderSocket t = DescriptorTable.transportOf(r);
        Outcome outcome = new Outcome();
        t.connect(new ConnectRequest(target, new byte[0], 0, null, JL_BOTH, null), outcome);
        int code = outcome.await(boundNanos, s);
        if (code != 0) {
            throw new WsaException(code, outcome.message);
        }
        return 0;
    }

    /** The provider's answer; datagram providers give it at once, a bound keeps a faulty one from hanging us. */
    private static final class Outcome implements ConnectCompletion {
        private int code = -1;
        private String message;

        @Override
        public synchronized void connected(byte[] calleeData) {
            if (code < 0) {
                code = 0;
                notifyAll();
            }
        }

        @Override
        public synchronized void failed(int errorCode, String why) {
            if (code < 0) {
                code = errorCode == 0 ? WSASYSCALLFAILURE : errorCode;
                message = why;
                notifyAll();
            }
        }

        synchronized int await(long boundNanos, SOCKET s) throws WsaException {
            long deadline = System.nanoTime() + boundNanos;
            try {
                while (code < 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        code = WSAETIMEDOUT;
                        message = "the provider did not set the default destination of " + s + " within "
                                + boundNanos / 1_000_000L + " ms (decisions 23)";
                        break;
                    }
                    wait(Math.max(1, left / 1_000_000L));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WsaException(WSAEINTR, "connect on " + s + " was interrupted");
            }
            return code;
        }
    }
}
