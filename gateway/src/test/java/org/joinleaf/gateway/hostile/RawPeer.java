package org.joinleaf.gateway.hostile;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One TCP connection to the gateway from a chosen loopback source address (the gateway's limits are per source and
 * per prefix, so who we are matters). Writes are serialized so a reader thread can answer PING while another writes.
 */
final class RawPeer implements AutoCloseable {
    /**
     * While a case runs the gateway with MUTUAL_TLS: the legitimate peers' TLS with their certificate. Joins use it,
     * raw connections never do (the attackers of that case have no certificate).
     */
    static volatile SSLSocketFactory tls;

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
        SSLSocketFactory withCertificate = tls;
        if (withCertificate != null) {
            p = p.overTls(withCertificate, port);
        }
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

    /** The same connection inside TLS, the handshake done (closed on failure). */
    private RawPeer overTls(SSLSocketFactory factory, int port) throws IOException {
        try {
            SSLSocket ssl = (SSLSocket) factory.createSocket(socket, "127.0.0.1", port, true);
            ssl.setUseClientMode(true);
            ssl.setSoTimeout(socket.getSoTimeout());
            ssl.startHandshake();
            return new RawPeer(ssl);
        } catch (IOException | RuntimeException e) {
            close();
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
