package org.joinleaf.gateway.hostile;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.joinleaf.api.Winsock2;

/**
 * A legitimate member (JL_BOTH) of the attacked root: reads every frame, answers PING, PINGs once a second itself (it
 * sends nothing else, and a member silent for the heartbeat timeout is cut), and checks the root's messages arrive
 * in order without a gap.
 */
final class LegitLeaf implements AutoCloseable {
    private static final int PING_MILLIS = 1000;

    final String source;
    private final RawPeer peer;
    private final Thread reader;
    private final Thread pinger;
    private volatile boolean closing;
    private volatile long firstSeq = -1;
    private volatile long lastSeq = -1;
    private volatile long rootMessages;
    private volatile long otherMessages;
    private volatile long disorder;
    private volatile String ended;

    LegitLeaf(String source, int port) throws IOException {
        this.source = source;
        this.peer = RawPeer.join(source, port, Winsock2.JL_BOTH, 5000);
        peer.socket.setSoTimeout(0); // the pinger and close() bound the reader
        reader = new Thread(this::read, "legit-leaf-" + source);
        reader.setDaemon(true);
        reader.start();
        pinger = new Thread(this::ping, "legit-pinger-" + source);
        pinger.setDaemon(true);
        pinger.start();
    }

    private void ping() {
        try {
            while (!closing && ended == null) {
                peer.write(Wire.ping());
                Thread.sleep(PING_MILLIS);
            }
        } catch (IOException | InterruptedException e) {
            // the reader reports why the membership ended
        }
    }

    private void read() {
        try {
            while (!closing) {
                Wire.Frame f = Wire.read(peer.in);
                switch (f.type()) {
                    case Wire.DATA -> onData(f.body());
                    case Wire.PING -> peer.write(Wire.pong());
                    case Wire.PONG -> { }
                    case Wire.LEAVE -> ended = "LEAVE " + ByteBuffer.wrap(f.body()).getInt();
                    default -> ended = "unexpected frame type " + f.type();
                }
                if (ended != null) {
                    return;
                }
            }
        } catch (IOException e) {
            if (!closing) {
                ended = e.toString();
            }
        }
    }

    private void onData(byte[] body) {
        if (body.length < 9 || body[0] != 'R') {
            otherMessages++;
            return;
        }
        long seq = ByteBuffer.wrap(body, 1, 8).getLong();
        if (firstSeq < 0) {
            firstSeq = seq;
        } else if (seq != lastSeq + 1) {
            disorder++;
        }
        lastSeq = seq;
        rootMessages++;
    }

    long lastSeq() {
        return lastSeq;
    }

    long rootMessages() {
        return rootMessages;
    }

    long otherMessages() {
        return otherMessages;
    }

    long disorder() {
        return disorder;
    }

    /** Why the membership ended while we were not closing it, or null while it lasts. */
    String ended() {
        return ended;
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        try {
            peer.write(Wire.leave(0));
        } catch (IOException e) {
            // already gone: ended() says why
        }
        peer.close();
        pinger.interrupt();
        reader.join(2000);
        pinger.join(2000);
    }
}
