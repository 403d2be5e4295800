package org.joinleaf.bench.tcp;

import java.io.IOException;
import java.util.List;

/**
 * One root sending to N joined, receiving leaves on 127.0.0.1, as one variant (joinleaf, plain Netty) builds it.
 * {@link #send} is called by one thread; the variant's own threads read and check every leaf.
 */
interface Fanout extends AutoCloseable {
    /** Sends one message to every leaf, blocking while the variant applies back-pressure. */
    void send(byte[] message) throws IOException;

    /** Each leaf's check, in leaf order. */
    List<SequenceCheck> leaves();

    /** Copies delivered so far, over all leaves. */
    long delivered();

    /** Throws the first failure a reading thread saw (an order violation, a lost connection). */
    void rethrowReaderFailure() throws IOException;

    /** How this variant reads and applies back-pressure, for the CSV notes (no commas). */
    String note();

    /** Closes every socket, thread and event loop it opened, with bounded waits; never throws. */
    @Override
    void close();
}
