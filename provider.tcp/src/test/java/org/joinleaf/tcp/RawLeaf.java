package org.joinleaf.tcp;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.spi.testkit.RecordingUpcalls;

/**
 * A third-party leaf written from PROTOCOL.md alone, on a plain blocking socket: it proves the document and can
 * misbehave (garbage, silence, resets, not reading) in ways the provider's own leaf never does.
 */
final class RawLeaf implements AutoCloseable {
    static final int JOIN = 0x01;
    static final int ACCEPT = 0x03;
    static final int REJECT = 0x04;
    static final int DATA = 0x05;
    static final int LEAVE = 0x06;
    static final int PING = 0x07;

    private final Socket socket = new Socket();
    private final DataOutputStream out;
    private final DataInputStream in;

    RawLeaf(SOCKADDR root, int receiveBuffer) throws IOException {
        this(root, receiveBuffer, null);
    }

    /** @param localHost the loopback address to connect from (127.0.0.x: another source), or null */
    RawLeaf(SOCKADDR root, int receiveBuffer, String localHost) throws IOException {
        if (localHost != null) {
            socket.bind(new InetSocketAddress(localHost, 0));
        }
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(root.toInetSocketAddress(), 5000);
        socket.setSoTimeout((int) RecordingUpcalls.TIMEOUT_MILLIS);
        out = new DataOutputStream(socket.getOutputStream());
        in = new DataInputStream(socket.getInputStream());
    }

    /** JOIN: magic "JLTP", version 1, direction, caller data, no QoS. */
    void join(int direction, byte[] callerData) throws IOException {
        out.writeInt(1 + 4 + 1 + 1 + 2 + callerData.length + 1);
        out.writeByte(JOIN);
        out.writeInt(0x4A4C5450);
        out.writeByte(1);
        out.writeByte(direction);
        out.writeShort(callerData.length);
        out.write(callerData);
        out.writeByte(0);
        out.flush();
    }

    /** Reads the REJECT the provider answers (possibly before any JOIN) and returns its code. */
    int expectReject() throws IOException {
        return ByteBuffer.wrap(expect(REJECT)).getInt();
    }

    void write(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
    }

    /** Reads frames until one of {@code type} (answering nothing); returns its body. */
    byte[] expect(int type) throws IOException {
        while (true) {
            int length = in.readInt();
            int t = in.readUnsignedByte();
            byte[] body = new byte[length - 1];
            in.readFully(body);
            if (t == type) {
                return body;
            }
            if (t != PING) {
                throw new IOException("expected frame type " + type + " but got " + t);
            }
        }
    }

    /** True once the provider closed the connection (EOF or reset), reading and dropping whatever came first. */
    boolean closedByPeer() {
        try {
            while (true) {
                int length = in.readInt();
                in.skipNBytes(length);
            }
        } catch (EOFException e) {
            return true;
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }

    /** DATA carrying {@code body}. */
    void data(byte[] body) throws IOException {
        out.writeInt(1 + body.length);
        out.writeByte(DATA);
        out.write(body);
    }

    /** Sends what is buffered, then FIN: the peer sees our output end (EPOLLRDHUP) while we still read. */
    void shutdownOutput() throws IOException {
        out.flush();
        socket.shutdownOutput();
    }

    /** Abortive close: RST instead of FIN. */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
