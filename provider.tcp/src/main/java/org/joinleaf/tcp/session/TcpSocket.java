package org.joinleaf.tcp.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.WSAError;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.ConnectionRequest;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.spi.WsaException;
import org.joinleaf.tcp.protocol.Frame;

/**
 * What c_root and c_leaf sockets share: binding, listening with a bounded request queue, the
 * {@code SIO_MULTIPOINT_LOOPBACK} switch, and the limits checked before anything goes on the wire.
 *
 * <p>Binding is done at once on the calling thread with a plain NIO server socket (a local syscall, so
 * {@code WSAEADDRINUSE} is synchronous); {@code listen} hands that socket to Netty, a join gives it up and connects
 * from the same address instead.
 */
abstract class TcpSocket implements MultipointSocket {
    final TcpTransport transport;
    final int family;
    final boolean rootedData;
    final SocketUpcalls upcalls;
    final InboundQueue inbound;
    /** Set once by close(); event-loop callbacks check it before reporting anything. */
    volatile boolean closed;
    private volatile boolean loopback = true;
    private ServerSocketChannel reserved;
    private InetSocketAddress bound;
    private Channel listener;
    private RequestQueue requests;

    TcpSocket(TcpTransport transport, int family, boolean rootedData, SocketUpcalls upcalls) {
        this.transport = transport;
        this.family = family;
        this.rootedData = rootedData;
        this.upcalls = upcalls;
        this.inbound = new InboundQueue(transport.settings().receiveQueueMessages());
    }

    /** The handler of a connection accepted while listening. */
    abstract PeerChannelHandler newPassiveHandler();

    @Override
    public synchronized void bind(SOCKADDR name) throws WsaException {
        if (bound != null) {
            throw new WsaException(Winsock2.WSAEINVAL, "socket is already bound to " + bound);
        }
        checkFamily(name);
        ServerSocketChannel ch = null;
        try {
            ch = ServerSocketChannel.open();
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(name.toInetSocketAddress(), transport.settings().backlog());
            reserved = ch;
            bound = (InetSocketAddress) ch.getLocalAddress();
        } catch (SocketException e) {
            closeQuietly(ch);
            int code = ErrorCodes.bindFailure(e);
            throw new WsaException(code, "cannot bind " + name + ": " + e.getMessage()
                    + (code == Winsock2.WSAEADDRINUSE ? "; pick another port or close the socket using it"
                    : "; use an address of this host"));
        } catch (IOException e) {
            closeQuietly(ch);
            throw new WsaException(Winsock2.WSAENOBUFS, "cannot bind " + name + ": " + e);
        }
    }

    /** The bound address, or {@code null}. */
    synchronized InetSocketAddress boundAddress() {
        return bound;
    }

    @Override
    public SOCKADDR localAddress() {
        InetSocketAddress b = boundAddress();
        return b == null ? null : SOCKADDR.of(b);
    }

    @Override
    public void listen(int backlog) throws WsaException {
        synchronized (this) {
            if (closed) {
                throw new WsaException(Winsock2.WSAENOTSOCK, "socket is closed");
            }
            if (listener != null) {
                return; // Winsock allows listen again; the queue keeps its first bound
            }
            if (bound == null) {
                throw new WsaException(Winsock2.WSAEINVAL, "listen needs a bound socket; call bind first");
            }
            int capacity = Math.max(1, Math.min(backlog, transport.settings().backlog()));
            requests = new RequestQueue(capacity, upcalls);
            listener = transport.listen(reserved, this::newPassiveHandler);
            reserved = null;
        }
    }

    @Override
    public synchronized boolean isListening() {
        return listener != null;
    }

    @Override
    public ConnectionRequest pendingRequest() {
        RequestQueue q;
        synchronized (this) {
            q = requests;
        }
        return q == null ? null : q.head();
    }

    /** Queues the opening frame of a passive connection as a request; refuses it when the backlog is full. */
    PendingRequest queueRequest(Channel channel, Frame.Join opening, PendingRequest.Admission admission) {
        RequestQueue q;
        synchronized (this) {
            q = requests;
        }
        PendingRequest request = new PendingRequest(channel, opening, q, admission,
                transport.settings().maxConnectData());
        if (closed || !q.offer(request)) {
            request.reject();
        }
        return request;
    }

    /** A join connects from the explicitly bound address, if any; the reservation is given up for it. */
    synchronized InetSocketAddress takeBindingForConnect() {
        closeQuietly(reserved);
        reserved = null;
        return bound;
    }

    /** Closes the listener (if any) and refuses every queued request. */
    void closeListener() {
        Channel l;
        RequestQueue q;
        synchronized (this) {
            l = listener;
            q = requests;
            listener = null;
            closeQuietly(reserved);
            reserved = null;
        }
        if (l != null) {
            l.close();
        }
        if (q != null) {
            for (PendingRequest r : q.drain()) {
                r.reject();
            }
        }
    }

    @Override
    public void ioctl(int code, Object in, Object out) throws WsaException {
        if (code != Winsock2.SIO_MULTIPOINT_LOOPBACK) {
            MultipointSocket.super.ioctl(code, in, out);
            return;
        }
        if (!(in instanceof Boolean)) {
            throw new WsaException(Winsock2.WSAEFAULT, "SIO_MULTIPOINT_LOOPBACK takes a Boolean input");
        }
        loopback = (Boolean) in;
    }

    /** True when this socket's own sends are also delivered to itself (non-rooted data, loopback on). */
    boolean loopsBack() {
        return !rootedData && loopback;
    }

    /** WSAEMSGSIZE over the configured limit; returns the message length. */
    int checkMessageSize(ByteBuffer message) throws WsaException {
        int length = message.remaining();
        if (length > transport.settings().maxMessageSize()) {
            throw new WsaException(Winsock2.WSAEMSGSIZE, "message of " + length + " bytes exceeds maxMessageSize ("
                    + transport.settings().maxMessageSize() + "); split it or raise the limit");
        }
        return length;
    }

    /** Checks caller data and family before anything goes on the wire (§3 R4, R6). */
    byte[] checkJoin(SOCKADDR name, byte[] callerData) throws WsaException {
        checkFamily(name);
        byte[] data = callerData == null ? new byte[0] : callerData;
        int max = transport.settings().maxConnectData();
        if (data.length > max) {
            throw new WsaException(Winsock2.WSAEFAULT, "caller data of " + data.length
                    + " bytes exceeds this provider's limit of " + max + " (maxConnectData)");
        }
        if (name.isAny()) {
            throw new WsaException(Winsock2.WSAEADDRNOTAVAIL, name + " is a wildcard address; name a real peer");
        }
        return data;
    }

    private void checkFamily(SOCKADDR name) throws WsaException {
        if (name.sa_family != family || !name.isWellFormed()) {
            throw new WsaException(Winsock2.WSAEAFNOSUPPORT, "address " + name + " is not of this socket's family ("
                    + (family == Winsock2.AF_INET6 ? "AF_INET6" : "AF_INET") + ")");
        }
    }

    /** Queues a message that arrived on {@code channel} (event loop) and posts FD_READ. */
    void deliver(ByteBuf payload, SOCKADDR from, Channel channel) {
        byte[] copy = new byte[payload.readableBytes()];
        payload.getBytes(payload.readerIndex(), copy);
        inbound.add(new InboundQueue.Message(copy, from), channel);
        postRead();
    }

    /** After a send: delivers the socket's own message to itself when {@link #loopsBack()}. */
    void loopBack(ByteBuffer message) {
        if (loopsBack()) {
            byte[] copy = new byte[message.remaining()];
            message.duplicate().get(copy);
            SOCKADDR self = localAddress();
            inbound.add(new InboundQueue.Message(copy, self == null ? new SOCKADDR() : self), null);
            postRead();
        }
    }

    @Override
    public int available() {
        return inbound.available();
    }

    private void postRead() {
        if (!closed) {
            upcalls.post(Winsock2.FD_READ_BIT, 0);
        }
    }

    static SOCKADDR sockaddr(SocketAddress address) {
        return address instanceof InetSocketAddress isa ? SOCKADDR.of(isa) : new SOCKADDR();
    }

    static String describe(int code) {
        return WSAError.describe(code);
    }

    private static void closeQuietly(ServerSocketChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }
}
