package org.joinleaf.bench.tcp;


import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.tcp.protocol.Frame;

/**
 * A leaf that joins (raw protocol, a small receive buffer), then never reads again: a stalled receiver, not a dead
 * one, so it keeps PINGing the root every 100 ms from its own thread until the root cuts it off. Only the slow-leaf
 * policy can end it.
 */
final class StalledLeaf implements AutoCloseable {
    private static final int RECEIVE_BUFFER = 4096;

    private final Socket socket = new Socket();
    private final AtomicInteger pings = new AtomicInteger();
    private final Thread pinger;
    private volatile boolean closed;

    /** Joins {@code root} and waits for ACCEPT (the fan-out's acceptor admits it). */
    StalledLeaf(SOCKADDR root) throws IOException {
        socket.setReceiveBufferSize(RECEIVE_BUFFER);
        socket.connect(root.toInetSocketAddress(), 5000);
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(RawFrames.join());
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        int length = in.readInt();
        int type = in.readUnsignedByte();
        in.skipNBytes(length - 1);
        if (type != 0x03) {
            throw new IOException("the stalled leaf was not admitted: frame type " + type);
        }
        byte[] ping = RawFrames.bytes(new Frame.Ping());
        pinger = new Thread(() -> {
            try {
                while (!closed) {
                    out.write(ping);
                    out.flush();
                    pings.incrementAndGet();
                    Thread.sleep(100); // a heartbeat's period, not a synchronisation
                }
            } catch (IOException | InterruptedException e) {
                // cut off by the root (evicted), or closed
            }
        }, "bench-stalled-leaf");
        pinger.setDaemon(true);
        pinger.start();
    }

    /** PINGs written so far: the root may have queued as many 5-byte PONGs behind the unread data. */
    int pings() {
        return pings.get();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        closed = true;
        socket.close();
        pinger.join(TimeUnit.SECONDS.toMillis(1));
    }
}
