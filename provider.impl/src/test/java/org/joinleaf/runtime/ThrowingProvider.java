package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.joinleaf.api.QOS;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.WSAPEERIDENTITY;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.spi.ConnectCompletion;
import org.joinleaf.spi.ConnectRequest;
import org.joinleaf.spi.ConnectionRequest;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.spi.TransportProvider;

/**
 * A provider with a bug everywhere: every SPI method throws what {@code fault} makes (an unchecked exception or an
 * Error). Its one entry (AF_INET, SOCK_SEQPACKET) allows every multipoint flag and QoS, so every API call reaches
 * the provider. {@link #socketsWork} lets {@code socket} succeed so the calls on a socket can be tried;
 * {@link #listening} makes its sockets claim to listen with a queued request whose every method throws, so
 * {@code WSAAccept} reaches the request.
 */
final class ThrowingProvider implements TransportProvider {
    static final int TYPE = SOCK_SEQPACKET;

    private final Supplier<? extends Throwable> fault;
    private final WSAPROTOCOL_INFO entry = new WSAPROTOCOL_INFO();
    volatile boolean socketsWork;
    volatile boolean listening;

    ThrowingProvider(Supplier<? extends Throwable> fault) {
        this.fault = fault;
        entry.szProtocol = "P-throw";
        entry.ProviderId = UUID.randomUUID();
        entry.iAddressFamily = AF_INET;
        entry.iSocketType = TYPE;
        entry.iProtocol = 0;
        entry.dwServiceFlags1 = XP1_SUPPORT_MULTIPOINT | XP1_MULTIPOINT_CONTROL_PLANE | XP1_MULTIPOINT_DATA_PLANE
                | XP1_QOS_SUPPORTED | XP1_CONNECT_DATA;
        entry.iMinSockAddr = SOCKADDR.SIZEOF_SOCKADDR_IN;
        entry.iMaxSockAddr = entry.iMinSockAddr;
        entry.dwMessageSize = 0xFFFF;
    }

    /** Throws the fault, whatever its kind, from a method that declares nothing. */
    private RuntimeException fail() {
        Throwable t = fault.get();
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        throw (Error) t;
    }

    @Override
    public List<WSAPROTOCOL_INFO> protocols() {
        return List.of(entry);
    }

    @Override
    public ProviderSocket socket(WSAPROTOCOL_INFO e, int dwFlags, SocketUpcalls upcalls) {
        if (!socketsWork) {
            throw fail();
        }
        return new Socket();
    }

    /** A transport whose every method throws. */
    final class Socket implements MultipointSocket {
        @Override
        public ProviderSocket join(ConnectRequest request, ConnectCompletion completion) {
            throw fail();
        }

        @Override
        public void bind(SOCKADDR name) {
            throw fail();
        }

        @Override
        public SOCKADDR localAddress() {
            throw fail();
        }

        @Override
        public SOCKADDR peerAddress() {
            throw fail();
        }

        @Override
        public void listen(int backlog) {
            throw fail();
        }

        @Override
        public boolean isListening() {
            if (listening) {
                return true;
            }
            throw fail();
        }

        @Override
        public ConnectionRequest pendingRequest() {
            if (listening) {
                return new Request();
            }
            throw fail();
        }

        @Override
        public void connect(ConnectRequest request, ConnectCompletion completion) {
            throw fail();
        }

        @Override
        public int send(ByteBuffer message, SOCKADDR to) {
            throw fail();
        }

        @Override
        public int receive(ByteBuffer buffer, SOCKADDR from, boolean peek) {
            throw fail();
        }

        @Override
        public int available() {
            throw fail();
        }

        @Override
        public void ioctl(int code, Object in, Object out) {
            throw fail();
        }

        @Override
        public void shutdown(int how) {
            throw fail();
        }

        @Override
        public void close() {
            throw fail();
        }
    }

    /** A queued request whose every method throws. */
    final class Request implements ConnectionRequest {
        @Override
        public SOCKADDR callerAddress() {
            throw fail();
        }

        @Override
        public byte[] callerData() {
            throw fail();
        }

        @Override
        public QOS callerQos() {
            throw fail();
        }

        @Override
        public WSAPEERIDENTITY callerIdentity() {
            throw fail();
        }

        @Override
        public int calleeDataCapacity() {
            throw fail();
        }

        @Override
        public ProviderSocket accept(byte[] calleeData, SocketUpcalls upcalls) {
            throw fail();
        }

        @Override
        public void reject() {
            throw fail();
        }
    }
}
