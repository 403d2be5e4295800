package org.joinleaf.bench.multicast;

import java.io.IOException;
import java.util.List;

/**
 * One sender and N receiving sockets joined to one group on loopback, as one variant (joinleaf, plain NIO)
 * builds them. The sender side is used by one thread; each {@link Reader} by one reader thread of its own.
 */
interface Fanout extends AutoCloseable {
    /** Sends one datagram to the group; false when the send would block (then {@link #awaitSendRoom}). */
    boolean trySend(byte[] message) throws IOException;

    /** Waits at most {@code millis} for send room after a refused send. */
    void awaitSendRoom(long millis) throws IOException;

    /** The receivers, split into one share per reader thread. */
    List<Reader> readers();

    /** Receive buffering of this variant, for the CSV notes (no commas). Neither variant sets SO_RCVBUF. */
    String bufferingNote();

    /** Closes every socket, event and provider this fan-out opened; never throws. */
    @Override
    void close();

    /** A reader thread's share of the receivers. */
    interface Reader {
        /** Waits at most {@code waitMillis} for datagrams, then reads what is there; returns how many it read. */
        int readSome(long waitMillis) throws IOException;
    }
}
