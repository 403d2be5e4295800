package org.joinleaf.gateway.hostile;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * One TCP connection to the gateway from a chosen loopback source address (the gateway's limits are per source and
 * per prefix, so who we are matters). Writes are serialized so a reader thread can answer PING while another writes.
 */
final class RawPeer implements AutoCloseable {
    final Socket socket;
    final DataInputStream in;
    private final OutputStream out;

    private RawPeer(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        this.out = socket.getOutputStream();
    }

    /** Connects from {@code source} (an address of 127.0.0.0/8) to the gateway's 127.0.0.1:{@code port}. */
    static RawPeer connect(String source, int port, int timeoutMillis) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.bind(new InetSocketAddress(source, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            return new RawPeer(s);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Connects, sends JOIN with {@code direction} and waits for ACCEPT; a REJECT or anything else is an IOException. */
    static RawPeer join(String source, int port, int direction, int timeoutMillis) throws IOException {
        RawPeer p = connect(source, port, timeoutMillis);
        try {
            p.write(Wire.join(direction));
            for (;;) {
                Wire.Frame f = Wire.read(p.in);
                if (f.type() == Wire.ACCEPT) {
                    return p;
                }
                if (f.type() == Wire.PING) {
                    p.write(Wire.pong());
                } else if (f.type() != Wire.PONG) {
                    throw new IOException(f.type() == Wire.REJECT ? "REJECT" : "frame type " + f.type() + " before ACCEPT");
                }
            }
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    void write(byte[] bytes) throws IOException {
        synchronized (out) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is best effort: the peer may have reset already
        }
    }
}
