package org.joinleaf.runtime.defaultprovider;

import static org.joinleaf.api.Winsock2.*;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.spi.DatagramBudget;
import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.spi.WsaErrors;
import org.joinleaf.spi.WsaException;

/**
 * The data path of a connected TCP socket: a bounded inbound buffer filled by the I/O loop and emptied by
 * {@code receive}, and a bounded outbound buffer filled by {@code send} and emptied by the loop. Both buffers are in
 * "write mode": their data is {@code [0, position)}. Events are posted after the lock is released.
 *
 * <p>Flow control: the loop stops reading while the inbound buffer is full, so a slow reader pushes back on the
 * peer through TCP instead of growing memory.
 */
final class TcpStream {
    private static final int NO_EVENT = -1;

    private final SocketChannel channel;
    private final SocketUpcalls upcalls;
    /** Asks the I/O loop to re-read {@link #interestOps()} (any thread). */
    private final Runnable resync;
    private final SOCKADDR peer;
    private final ByteBuffer inbound;
    private final ByteBuffer outbound;
    private final DatagramBudget<DropReason> budget;
    private boolean finReceived;
    private boolean closePosted;
    private boolean sendShutdown;
    private boolean outputShut;
    private boolean receiveShutdown;
    private boolean writeRefused;
    private boolean closed;
    /** 0, or the Winsock code of an abortive end (reset, other failure). */
    private int failure;

    /**
     * The data path of {@code channel}. Its inbound buffer is charged to {@code budget} before it is allocated;
     * when the provider's total cannot take it the connection is refused with an {@code IOException} that maps to
     * {@code WSAENOBUFS}.
     */
    TcpStream(SocketChannel channel, SocketUpcalls upcalls, DefaultSettings limits, DatagramBudget<DropReason> budget,
              Runnable resync)
            throws IOException {
        this.channel = channel;
        this.upcalls = upcalls;
        this.resync = resync;
        this.budget = budget;
        this.peer = SOCKADDR.of((InetSocketAddress) channel.getRemoteAddress());
        if (!budget.tryCharge(limits.receiveBufferBytes())) {
            throw new IOException("No buffer space available: the receive buffers of all sockets already hold "
                    + budget.usedBytes() + " of " + budget.totalBytes() + " bytes (totalReceiveBytes in PID "
                    + DefaultProvider.PID + "); close connections or raise it");
        }
        try {
            this.inbound = ByteBuffer.allocate(limits.receiveBufferBytes());
            this.outbound = ByteBuffer.allocate(limits.sendBufferBytes());
        } catch (Throwable t) {
            budget.release(limits.receiveBufferBytes());
            throw t;
        }
    }

    SocketChannel channel() {
        return channel;
    }

    SOCKADDR peer() {
        return peer;
    }

    /** Copies as much of {@code message} as the outbound buffer holds; advances its position by that count. */
    int send(ByteBuffer message) throws WsaException {
        int n;
        boolean wasEmpty;
        synchronized (this) {
            if (sendShutdown) {
                throw new WsaException(WSAESHUTDOWN, "send after shutdown(SD_SEND) on this socket");
            }
            if (failure != 0) {
                throw new WsaException(failure, "the connection to " + peer + " is broken; close the socket");
            }
            if (!message.hasRemaining()) {
                return 0;
            }
            if (!outbound.hasRemaining()) {
                writeRefused = true;
                throw new WsaException(WSAEWOULDBLOCK, "send buffer full; wait for FD_WRITE");
            }
            wasEmpty = outbound.position() == 0;
            n = Math.min(outbound.remaining(), message.remaining());
            outbound.put(message.slice().limit(n));
            message.position(message.position() + n);
        }
        if (wasEmpty) {
            resync.run(); // start selecting OP_WRITE
        }
        return n;
    }

    /** Takes up to {@code buffer.remaining()} bytes; 0 once the peer's FIN is reached. */
    int receive(ByteBuffer buffer, SOCKADDR from, boolean peek) throws WsaException {
        int n;
        int post = NO_EVENT;
        boolean resumeReading;
        synchronized (this) {
            if (receiveShutdown) {
                throw new WsaException(WSAESHUTDOWN, "receive after shutdown(SD_RECEIVE) on this socket");
            }
            int queued = inbound.position();
            if (queued == 0) {
                if (finReceived) {
                    fill(from);
                    return 0;
                }
                if (failure != 0) {
                    throw new WsaException(failure, "the connection to " + peer + " is broken; close the socket");
                }
                throw new WsaException(WSAEWOULDBLOCK, "no data queued; wait for FD_READ");
            }
            n = Math.min(queued, buffer.remaining());
            buffer.put(inbound.duplicate().flip().limit(n));
            resumeReading = !peek && n > 0 && !inbound.hasRemaining(); // reading was paused while full
            if (!peek) {
                inbound.flip().position(n);
                inbound.compact();
            }
            if (inbound.position() > 0) {
                post = FD_READ_BIT; // data remains: the level-triggered FD_READ holds
            } else if (finReceived && !closePosted) {
                closePosted = true;
                post = FD_CLOSE_BIT;
            }
            fill(from);
        }
        if (resumeReading) {
            resync.run();
        }
        if (post != NO_EVENT) {
            upcalls.post(post, 0);
        }
        return n;
    }

    private void fill(SOCKADDR from) {
        if (from != null) {
            from.set(peer);
        }
    }

    synchronized int available() {
        return receiveShutdown ? 0 : inbound.position();
    }

    /** {@code shutdown}: the FIN goes out once the queued bytes have been written. */
    void shutdown(int how) {
        synchronized (this) {
            if (how == SD_RECEIVE || how == SD_BOTH) {
                receiveShutdown = true;
                inbound.clear();
            }
            if (how == SD_SEND || how == SD_BOTH) {
                sendShutdown = true;
            }
        }
        resync.run();
    }

    /** Loop thread: what to select for. */
    synchronized int interestOps() {
        if (closed || failure != 0) {
            return 0;
        }
        int ops = 0;
        if (!finReceived && inbound.hasRemaining()) {
            ops |= SelectionKey.OP_READ;
        }
        if (outbound.position() > 0 || (sendShutdown && !outputShut)) {
            ops |= SelectionKey.OP_WRITE;
        }
        return ops;
    }

    /** Loop thread: reads what fits, posts FD_READ, or FD_CLOSE on FIN (once drained) or on failure. */
    void onReadable() {
        int post = NO_EVENT;
        int code = 0;
        synchronized (this) {
            if (closed || failure != 0) {
                return;
            }
            try {
                int n = channel.read(inbound);
                if (receiveShutdown) {
                    inbound.clear(); // Winsock drops data that arrives after SD_RECEIVE
                } else if (n > 0) {
                    post = FD_READ_BIT;
                }
                if (n < 0) {
                    finReceived = true;
                    if (inbound.position() == 0) {
                        closePosted = true;
                        post = FD_CLOSE_BIT;
                    }
                }
            } catch (IOException e) {
                code = fail(e, WSAECONNABORTED);
                post = FD_CLOSE_BIT;
            }
        }
        if (post != NO_EVENT) {
            upcalls.post(post, code);
        }
    }

    /** Loop thread: writes what the kernel takes; FD_WRITE once a refused send has room again (half drained). */
    void onWritable() {
        int post = NO_EVENT;
        int code = 0;
        synchronized (this) {
            if (closed || failure != 0) {
                return;
            }
            try {
                flush();
                if (outbound.position() == 0 && sendShutdown && !outputShut) {
                    channel.shutdownOutput();
                    outputShut = true;
                }
                if (writeRefused && outbound.position() <= outbound.capacity() / 2) {
                    writeRefused = false;
                    post = FD_WRITE_BIT;
                }
            } catch (IOException e) {
                code = fail(e, WSAECONNRESET);
                post = FD_CLOSE_BIT;
            }
        }
        if (post != NO_EVENT) {
            upcalls.post(post, code);
        }
    }

    private void flush() throws IOException {
        outbound.flip();
        try {
            channel.write(outbound);
        } finally {
            outbound.compact();
        }
    }

    private int fail(IOException e, int fallback) {
        failure = WsaErrors.code(e, fallback);
        if (failure != WSAECONNRESET) {
            failure = WSAECONNABORTED; // FD_CLOSE knows only reset, abort and (for providers leaving) net down
        }
        Channels.closeQuietly(channel);
        return failure;
    }

    /**
     * Loop thread: handling this connection threw (an {@code OutOfMemoryError} included). It cannot be trusted to
     * hold a whole stream any more, so it ends abortively: {@code FD_CLOSE} with {@code WSAECONNABORTED}.
     */
    void abort() {
        synchronized (this) {
            if (closed || failure != 0) {
                return;
            }
            failure = WSAECONNABORTED;
            Channels.closeQuietly(channel);
        }
        upcalls.post(FD_CLOSE_BIT, WSAECONNABORTED);
    }

    /** Graceful close: hands what is still queued to the kernel (which sends it before its FIN), then closes. */
    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            budget.release(inbound.capacity());
            if (failure == 0 && !outputShut && outbound.position() > 0) {
                try {
                    flush(); // best effort: bytes the kernel does not take now are dropped
                } catch (IOException e) {
                    // The connection is going away anyway.
                }
            }
            closed = true;
            Channels.closeQuietly(channel);
        }
    }
}
