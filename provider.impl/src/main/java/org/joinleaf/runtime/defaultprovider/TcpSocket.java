package org.joinleaf.runtime.defaultprovider;

import static org.joinleaf.api.Winsock2.*;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnsupportedAddressTypeException;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.spi.ConnectCompletion;
import org.joinleaf.spi.ConnectRequest;
import org.joinleaf.spi.ConnectionRequest;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.spi.WsaErrors;
import org.joinleaf.spi.WsaException;

/**
 * A TCP socket of the default provider. It is deliberately not a {@code MultipointSocket}: the CE built-in stack
 * does not support {@code WSAJoinLeaf} (§3 R38, decisions 1).
 *
 * <p>Life: idle (maybe bound) → listening ({@link TcpListener}) or connecting → connected ({@link TcpStream}) →
 * closed. A failed connect returns to idle so the runtime may retry. Java cannot turn a bound client channel into a
 * listening one, so {@code bind} binds a client channel (to learn the real port and report conflicts at once) and
 * {@code listen} re-binds that address on a server channel.
 */
final class TcpSocket extends IoHandler implements ProviderSocket {
    private enum Phase { IDLE, CONNECTING, CONNECTED, LISTENING, CLOSED }

    private final SocketResources resources;
    private final ProtocolFamily family;
    private final SocketUpcalls upcalls;
    private final Runnable resync;

    private Phase phase = Phase.IDLE;
    /** Idle: the bound channel, if bound. Connecting: the channel being connected. */
    private SocketChannel channel;
    /** The address bind() obtained, kept so that a retried connect binds the same port again. */
    private InetSocketAddress boundAddress;
    private ConnectCompletion completion;
    private volatile TcpListener listener;
    private volatile TcpStream stream;
    private final ChannelOptions options = new ChannelOptions();

    private TcpSocket(SocketResources resources, ProtocolFamily family, SocketUpcalls upcalls) {
        this.resources = resources;
        this.family = family;
        this.upcalls = upcalls;
        this.resync = () -> resources.loop().schedule(this);
    }

    /** A new unbound socket, counted against the provider's socket limit. */
    static TcpSocket open(SocketResources resources, ProtocolFamily family, SocketUpcalls upcalls)
            throws WsaException {
        TcpSocket socket = new TcpSocket(resources, family, upcalls);
        resources.open().admit(socket);
        return socket;
    }

    /** The socket for a connection a listener accepted. */
    static TcpSocket accepted(SocketResources resources, ProtocolFamily family, SocketChannel channel,
                              SocketUpcalls upcalls) throws WsaException {
        TcpSocket socket = open(resources, family, upcalls);
        try {
            TcpStream stream = new TcpStream(channel, upcalls, resources.limits(), resources.budget(),
                    socket.resync);
            synchronized (socket) {
                socket.stream = stream;
                socket.phase = Phase.CONNECTED;
            }
        } catch (IOException e) {
            resources.open().release(socket);
            throw WsaErrors.exception(e, WSAECONNRESET, "accepting a queued connection");
        }
        socket.resync.run();
        return socket;
    }

    @Override
    public void bind(SOCKADDR name) throws WsaException {
        synchronized (this) {
            requireOpen();
            if (phase != Phase.IDLE || channel != null) {
                throw new WsaException(WSAEINVAL, "this socket is already bound to " + localAddress());
            }
            SocketChannel bound = openChannel();
            try {
                bound.bind(Channels.address(name));
                boundAddress = (InetSocketAddress) bound.getLocalAddress();
            } catch (UnsupportedAddressTypeException e) {
                Channels.closeQuietly(bound);
                throw new WsaException(WSAEAFNOSUPPORT, name + " is not an address of this socket's family");
            } catch (IOException e) {
                Channels.closeQuietly(bound);
                throw WsaErrors.exception(e, WSAEADDRNOTAVAIL, "bind to " + name);
            }
            channel = bound;
        }
    }

    @Override
    public synchronized SOCKADDR localAddress() {
        TcpListener l = listener;
        TcpStream s = stream;
        if (l != null) {
            return Channels.localAddressOf(l.channel());
        }
        return Channels.localAddressOf(s != null ? s.channel() : channel);
    }

    @Override
    public SOCKADDR peerAddress() {
        TcpStream s = stream;
        return s == null ? null : s.peer();
    }

    @Override
    public void listen(int backlog) throws WsaException {
        synchronized (this) {
            requireOpen();
            if (phase == Phase.LISTENING) {
                return; // Winsock allows listen again; the first backlog stays
            }
            if (phase != Phase.IDLE) {
                throw new WsaException(WSAEISCONN, "a connected or connecting socket cannot listen");
            }
            if (boundAddress == null) {
                throw new WsaException(WSAEINVAL, "bind the socket before listen");
            }
            Channels.closeQuietly(channel);
            channel = null;
            int limit = resources.limits().backlog(backlog);
            ServerSocketChannel server = null;
            try {
                server = ServerSocketChannel.open(family);
                server.configureBlocking(false);
                options.applyTo(server);
                server.bind(boundAddress, limit);
            } catch (WsaException e) {
                Channels.closeQuietly(server);
                throw e;
            } catch (IOException e) {
                Channels.closeQuietly(server);
                WsaException failure = WsaErrors.exception(e, WSAEADDRINUSE, "listen on " + boundAddress);
                boundAddress = null; // the client-side bind is gone: bind again before retrying
                throw failure;
            }
            listener = new TcpListener(server, family, limit, upcalls, resources, resync);
            phase = Phase.LISTENING;
        }
        resync.run();
    }

    @Override
    public boolean isListening() {
        return listener != null;
    }

    @Override
    public ConnectionRequest pendingRequest() {
        TcpListener l = listener;
        return l == null ? null : l.head();
    }

    @Override
    public void connect(ConnectRequest request, ConnectCompletion connectCompletion) throws WsaException {
        SocketChannel connecting;
        boolean connectedNow = false;
        IOException failure = null;
        InetSocketAddress peer = Channels.address(request.name());
        synchronized (this) {
            requireOpen();
            switch (phase) {
                case LISTENING:
                    throw new WsaException(WSAEINVAL, "a listening socket cannot connect");
                case CONNECTING:
                    throw new WsaException(WSAEALREADY, "a connect is already in progress on this socket");
                case CONNECTED:
                    throw new WsaException(WSAEISCONN, "this socket is already connected to " + peerAddress());
                default:
                    break;
            }
            SocketChannel bound = channel;
            connecting = bound != null ? bound : openRebound();
            try {
                connectedNow = connecting.connect(peer);
            } catch (UnsupportedAddressTypeException e) {
                if (connecting != bound) {
                    Channels.closeQuietly(connecting);
                }
                throw new WsaException(WSAEAFNOSUPPORT, peer + " is not an address of this socket's family");
            } catch (IOException e) {
                failure = e; // reported through the completion, outside the lock
            }
            channel = connecting;
            completion = connectCompletion;
            phase = Phase.CONNECTING;
        }
        if (failure != null) {
            connectFailed(connecting, failure);
        } else if (connectedNow) {
            connected(connecting);
        } else {
            resync.run(); // the loop waits for OP_CONNECT
        }
    }

    @Override
    public int send(ByteBuffer message, SOCKADDR to) throws WsaException {
        return connectedStream().send(message);
    }

    @Override
    public int receive(ByteBuffer buffer, SOCKADDR from, boolean peek) throws WsaException {
        return connectedStream().receive(buffer, from, peek);
    }

    @Override
    public int available() {
        TcpStream s = stream;
        return s == null ? 0 : s.available();
    }

    @Override
    public void shutdown(int how) throws WsaException {
        if (how != SD_RECEIVE && how != SD_SEND && how != SD_BOTH) {
            throw new WsaException(WSAEINVAL, "shutdown how must be SD_RECEIVE, SD_SEND or SD_BOTH, not " + how);
        }
        connectedStream().shutdown(how);
    }

    @Override
    public void close() {
        SocketChannel ch;
        synchronized (this) {
            if (phase == Phase.CLOSED) {
                return;
            }
            phase = Phase.CLOSED;
            completion = null; // a pending connect is cancelled without completion
            ch = channel;
            channel = null;
        }
        Channels.closeQuietly(ch);
        TcpListener l = listener;
        if (l != null) {
            l.close();
        }
        TcpStream s = stream;
        if (s != null) {
            s.close();
        }
        resources.open().release(this);
    }

    /** Loop thread: handling this socket's readiness threw; a connection is aborted, anything else closed. */
    @Override
    void failed(SelectionKey key, Throwable t) {
        TcpStream s = stream;
        if (s != null) {
            s.abort();
        } else {
            super.failed(key, t);
        }
    }

    @Override
    SocketUpcalls upcalls() {
        return upcalls;
    }

    @Override
    void sync(Selector selector) {
        SelectableChannel ch;
        TcpListener l;
        TcpStream s;
        synchronized (this) {
            if (phase == Phase.CLOSED) {
                return;
            }
            ch = phase == Phase.CONNECTING ? channel : null;
            l = listener;
            s = stream;
        }
        if (ch != null) {
            interest(selector, ch, SelectionKey.OP_CONNECT);
        } else if (l != null) {
            interest(selector, l.channel(), l.interestOps());
        } else if (s != null) {
            interest(selector, s.channel(), s.interestOps());
        }
    }

    @Override
    void ready(SelectionKey key) {
        if (key.isConnectable()) {
            finishConnect((SocketChannel) key.channel());
        } else if (key.isAcceptable()) {
            try {
                listener.onAcceptable();
            } catch (IOException e) {
                System.getLogger(TcpSocket.class.getName()).log(System.Logger.Level.WARNING,
                        "accepting on " + localAddress() + " failed", e);
            }
        } else {
            TcpStream s = stream;
            if (key.isReadable()) {
                resources.loop().duringRead();
                s.onReadable();
            }
            if (key.isValid() && key.isWritable()) {
                s.onWritable();
            }
        }
        sync(key.selector());
    }

    private void finishConnect(SocketChannel ch) {
        try {
            if (ch.finishConnect()) {
                connected(ch);
            }
        } catch (IOException e) {
            connectFailed(ch, e);
        }
    }

    private void connected(SocketChannel ch) {
        TcpStream connectedStream;
        try {
            connectedStream = new TcpStream(ch, upcalls, resources.limits(), resources.budget(), resync);
        } catch (IOException e) {
            connectFailed(ch, e); // reset between finishConnect and now
            return;
        }
        ConnectCompletion c;
        synchronized (this) {
            if (phase != Phase.CONNECTING || channel != ch) {
                return; // closed meanwhile: no completion
            }
            stream = connectedStream;
            phase = Phase.CONNECTED;
            channel = null;
            c = completion;
            completion = null;
        }
        resync.run();
        c.connected(null);
    }

    private void connectFailed(SocketChannel ch, IOException e) {
        ConnectCompletion c;
        synchronized (this) {
            if (phase != Phase.CONNECTING || channel != ch) {
                return;
            }
            phase = Phase.IDLE; // a retry opens a new channel
            channel = null;
            c = completion;
            completion = null;
        }
        Channels.closeQuietly(ch);
        c.failed(WsaErrors.code(e, WSAECONNREFUSED), WsaErrors.message(e, WSAECONNREFUSED, "connect"));
    }

    private TcpStream connectedStream() throws WsaException {
        TcpStream s = stream;
        if (s == null) {
            throw new WsaException(WSAENOTCONN, "this TCP socket is not connected; connect or accept first");
        }
        return s;
    }

    /** {@code setsockopt} (issue 13): applied to the channel of the moment and to every channel opened later. */
    @Override
    public void setOption(int level, int optname, Object value) throws WsaException {
        options.set(level, optname, value, currentChannel());
    }

    /** {@code getsockopt} (issue 13): read back from the channel of the moment; before bind, what was set. */
    @Override
    public Object getOption(int level, int optname) throws WsaException {
        return ChannelOptions.get(level, optname, currentChannel());
    }

    private java.nio.channels.NetworkChannel currentChannel() {
        TcpListener l = listener;
        TcpStream st = stream;
        synchronized (this) {
            return l != null ? l.channel() : st != null ? st.channel() : channel;
        }
    }

    private void requireOpen() throws WsaException {
        if (phase == Phase.CLOSED) {
            throw new WsaException(WSAENOTSOCK, "this socket is closed");
        }
    }

    /** A fresh client channel, bound to the earlier bind() address when a failed connect is retried. */
    private SocketChannel openRebound() throws WsaException {
        SocketChannel ch = openChannel();
        if (boundAddress != null) {
            try {
                ch.bind(boundAddress);
            } catch (IOException e) {
                Channels.closeQuietly(ch);
                throw WsaErrors.exception(e, WSAEADDRINUSE, "binding again to " + boundAddress);
            }
        }
        return ch;
    }

    private SocketChannel openChannel() throws WsaException {
        try {
            SocketChannel ch = SocketChannel.open(family);
            ch.configureBlocking(false);
            try {
                options.applyTo(ch);
            } catch (WsaException e) {
                Channels.closeQuietly(ch);
                throw e;
            }
            return ch;
        } catch (IOException e) {
            throw WsaErrors.exception(e, WSAENOBUFS, "opening a TCP channel");
        }
    }
}
