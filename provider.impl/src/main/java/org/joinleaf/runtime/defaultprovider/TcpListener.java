package org.joinleaf.runtime.defaultprovider;

import static org.joinleaf.api.Winsock2.*;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.joinleaf.api.QOS;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.spi.ConnectionRequest;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.spi.WsaException;

/**
 * The listening side of a TCP socket. The loop accepts connections into a backlog of at most {@code backlog}
 * entries and posts {@code FD_ACCEPT} for each; while the backlog is full it stops accepting, leaving further
 * connections to the kernel's queue. The runtime's {@code WSAAccept} peeks the head and then accepts or rejects it.
 * Connections are already established when they are queued, so a rejected caller sees a reset (RST), which its
 * runtime reports as {@code WSAECONNREFUSED} only if its connect had not yet completed.
 */
final class TcpListener {
    private final ServerSocketChannel server;
    private final ProtocolFamily family;
    private final int backlog;
    private final SocketUpcalls upcalls;
    private final SocketResources resources;
    /** Asks the I/O loop to re-read {@link #interestOps()} (any thread). */
    private final Runnable resync;
    private final ArrayDeque<Pending> queue;
    private boolean closed;

    TcpListener(ServerSocketChannel server, ProtocolFamily family, int backlog, SocketUpcalls upcalls,
                SocketResources resources, Runnable resync) {
        this.server = server;
        this.family = family;
        this.backlog = backlog;
        this.upcalls = upcalls;
        this.resources = resources;
        this.resync = resync;
        this.queue = new ArrayDeque<>(backlog);
    }

    ServerSocketChannel channel() {
        return server;
    }

    synchronized ConnectionRequest head() {
        return queue.peek();
    }

    /** Loop thread: accept only while the backlog has room (the kernel holds the rest). */
    synchronized int interestOps() {
        return !closed && queue.size() < backlog ? SelectionKey.OP_ACCEPT : 0;
    }

    /** Loop thread: moves established connections into the backlog, one FD_ACCEPT for each. */
    void onAcceptable() throws IOException {
        int arrived = 0;
        synchronized (this) {
            while (!closed && queue.size() < backlog) {
                SocketChannel channel = server.accept();
                if (channel == null) {
                    break;
                }
                channel.configureBlocking(false);
                queue.add(new Pending(channel, SOCKADDR.of((InetSocketAddress) channel.getRemoteAddress())));
                arrived++;
            }
        }
        for (int i = 0; i < arrived; i++) {
            upcalls.post(FD_ACCEPT_BIT, 0);
        }
    }

    private ProviderSocket accept(Pending request, SocketUpcalls socketUpcalls) throws WsaException {
        if (!take(request)) {
            throw new WsaException(WSAECONNRESET, "the connection from " + request.caller
                    + " is no longer queued (listener closed or request already taken)");
        }
        try {
            return TcpSocket.accepted(resources, family, request.channel, socketUpcalls);
        } catch (WsaException e) {
            if (e.code() == WSAEMFILE || e.code() == WSAENOBUFS) {
                putBack(request); // no descriptor or buffer now; the caller may retry once sockets are closed
            } else {
                Channels.closeQuietly(request.channel);
            }
            throw e;
        } finally {
            announce();
        }
    }

    private void reject(Pending request) {
        if (take(request)) {
            try {
                request.channel.setOption(StandardSocketOptions.SO_LINGER, 0); // RST, not FIN
            } catch (IOException e) {
                // Closing below still ends the connection.
            }
            Channels.closeQuietly(request.channel);
            announce();
        }
    }

    private synchronized boolean take(Pending request) {
        return !closed && queue.remove(request);
    }

    private void putBack(Pending request) {
        synchronized (this) {
            if (!closed) {
                queue.addFirst(request);
                return;
            }
        }
        Channels.closeQuietly(request.channel);
    }

    /** After a request left the queue: accept again, and re-post FD_ACCEPT while requests wait. */
    private void announce() {
        boolean more;
        synchronized (this) {
            more = !queue.isEmpty();
        }
        resync.run();
        if (more) {
            upcalls.post(FD_ACCEPT_BIT, 0);
        }
    }

    void close() {
        List<SocketChannel> queued = new ArrayList<>();
        synchronized (this) {
            closed = true;
            queue.forEach(p -> queued.add(p.channel));
            queue.clear();
        }
        Channels.closeQuietly(server);
        queued.forEach(Channels::closeQuietly);
    }

    /** One established connection waiting for {@code WSAAccept}. TCP carries no connect data and no QoS. */
    private final class Pending implements ConnectionRequest {
        final SocketChannel channel;
        final SOCKADDR caller;

        Pending(SocketChannel channel, SOCKADDR caller) {
            this.channel = channel;
            this.caller = caller;
        }

        @Override
        public SOCKADDR callerAddress() {
            return new SOCKADDR().set(caller);
        }

        @Override
        public byte[] callerData() {
            return null;
        }

        @Override
        public QOS callerQos() {
            return null;
        }

        @Override
        public int calleeDataCapacity() {
            return 0;
        }

        @Override
        public ProviderSocket accept(byte[] calleeData, SocketUpcalls socketUpcalls) throws WsaException {
            return TcpListener.this.accept(this, socketUpcalls);
        }

        @Override
        public void reject() {
            TcpListener.this.reject(this);
        }
    }
}
