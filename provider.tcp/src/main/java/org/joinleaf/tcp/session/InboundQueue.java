package org.joinleaf.tcp.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.Set;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.WsaException;

/**
 * The received messages of one socket, whole and in order, each with its sender. Bounded in messages
 * ({@code receiveQueueMessages}), in bytes ({@code receiveQueueBytes}), and together with every other socket's
 * queue by the provider's {@code maxReceivedBytes}: when one bound is reached, each connection that delivers a
 * message stops reading (TCP then pushes back on the sender) until the application has taken the queue down to half
 * of its bounds and the provider's total is down to half too. Frames already split from one read may still arrive
 * after that, so the hard bound is each bound plus one read (reads are capped at the high water mark) and one message
 * per paused connection.
 *
 * <p>No allocation and no shared counter per message (decision 45, issue 14 item 2): small messages are copied
 * into fixed-size arrays taken from the provider's {@link ReceiveChunks} and charged to the total one array at a
 * time, their lengths and senders kept alongside; a message longer than an array (or one that finds the total
 * full) gets an array of its own, charged by its length. The total is exact: it is what the queues hold (their
 * arrays), and a queue its application has emptied gives every array back. The total stops a connection when a
 * queue's charge does not fit it; within an array it holds already, a queue does not grow the total.
 *
 * <p>Pitfall: {@link #add} runs on event loops, {@link #take} on application threads; a channel's reading is only
 * ever changed on its own event loop ({@link ReadGate}).
 */
final class InboundQueue {
    /** One whole message and who sent it (tests, loopback). */
    record Message(byte[] payload, SOCKADDR from) {
    }

    private static final int OPEN = -1;
    private static final int FIRST_ENTRIES = 16;

    private final int capacity;
    /** {@code receiveQueueBytes}: this queue's message bytes. */
    private final MemoryBudget bytes;
    /** {@code maxReceivedBytes}: every queue's arrays, shared. */
    private final MemoryBudget total;
    private final ReceiveChunks chunks;
    /** The arrays holding chunked messages, oldest first: the head entry's bytes start at {@link #readAt}. */
    private final ArrayDeque<byte[]> held = new ArrayDeque<>();
    private int readAt;
    /** Where the next chunked message goes in the last held array. */
    private int writeAt;
    /** What this queue holds of the total: its arrays and the messages with arrays of their own. */
    private long leased;
    /** The entries, a ring of {@link #count} from {@link #head}: length, sender, and an own array or null. */
    private int[] lengths = new int[FIRST_ENTRIES];
    private SOCKADDR[] senders = new SOCKADDR[FIRST_ENTRIES];
    private byte[][] own = new byte[FIRST_ENTRIES][];
    private int head;
    private int count;
    private final Set<Channel> paused = new LinkedHashSet<>();
    /**
     * The source paused last (or null): while a queue stays full, every message of the read in hand comes from it,
     * and a leaf's queue has no other; checking it first spares a set insertion per such message.
     */
    private Channel lastPaused;
    /** One object, so the total's waiting set holds this queue at most once. */
    private final Runnable retryResume = this::resumeIfDrained;
    private int closeCode = OPEN;
    private boolean discarded;
    /** The next message's length, 0 when none: {@link #available} (asked after every receive) takes no lock. */
    private volatile int headLength;
    /** True while a source is paused: a take resumes sources only then (no second lock per message). */
    private volatile boolean anyPaused;

    /** A queue bounded in messages only (tests). */
    InboundQueue(int capacity) {
        this(capacity, new MemoryBudget("receiveQueueBytes", Long.MAX_VALUE),
                new MemoryBudget("maxReceivedBytes", Long.MAX_VALUE));
    }

    /** A queue with arrays of its own (tests). */
    InboundQueue(int capacity, MemoryBudget bytes, MemoryBudget total) {
        this(capacity, bytes, total, new ReceiveChunks(total));
    }

    InboundQueue(int capacity, MemoryBudget bytes, MemoryBudget total, ReceiveChunks chunks) {
        this.capacity = capacity;
        this.bytes = bytes;
        this.total = total;
        this.chunks = chunks;
    }

    /** Appends a copy of {@code message} (tests); see {@link #add(ByteBuf, int, int, SOCKADDR, Channel)}. */
    boolean add(Message message, Channel source) {
        byte[] p = message.payload();
        return add(Unpooled.wrappedBuffer(p), 0, p.length, message.from(), source);
    }

    /**
     * Appends a copy of {@code length} bytes of {@code buf} from {@code index}, sent by {@code from}; pauses
     * {@code source} (may be {@code null} for loopback copies) when a bound is reached. True when the queue was
     * empty: only then is FD_READ news (a receive re-reports a queue it leaves non-empty).
     */
    boolean add(ByteBuf buf, int index, int length, SOCKADDR from, Channel source) {
        boolean waitForTotal;
        boolean first;
        synchronized (this) {
            if (discarded) {
                return false; // the socket is closed: nobody will take it
            }
            first = count == 0;
            boolean totalOver = store(buf, index, length, from);
            if (first) {
                headLength = length;
            }
            bytes.charge(length);
            boolean full = totalOver || count >= capacity || bytes.over();
            if (!full || source == null || source == lastPaused || !paused.add(source)) {
                return first;
            }
            lastPaused = source;
            ReadGate.pause(source, ReadGate.RECEIVE_QUEUE);
            anyPaused = true;
            waitForTotal = totalOver;
        }
        if (waitForTotal) {
            total.whenDrained(retryResume); // another socket's take may be what frees the total
        }
        return first;
    }

    /** Copies the message into the last held array, a new one, or one of its own; true when the total is over. */
    private boolean store(ByteBuf buf, int index, int length, SOCKADDR from) {
        byte[] mine = null;
        boolean over = false;
        if (length > 0 && (!chunks.inUse() || length > chunks.size()
                || (held.isEmpty() || writeAt + length > chunks.size()) && !total.tryCharge(chunks.size()))) {
            over = !total.tryCharge(length);
            if (over) {
                total.charge(length); // the bytes exist already; their connection stops
            }
            leased += length;
            mine = new byte[length];
            buf.getBytes(index, mine);
        } else if (length > 0) {
            if (held.isEmpty() || writeAt + length > chunks.size()) { // charged above
                held.add(chunks.take());
                leased += chunks.size();
                writeAt = 0;
            }
            buf.getBytes(index, held.peekLast(), writeAt, length);
            writeAt += length;
        }
        if (count == lengths.length) {
            grow();
        }
        int at = (head + count++) % lengths.length;
        lengths[at] = length;
        senders[at] = from;
        own[at] = mine;
        return over;
    }

    private void grow() {
        int n = lengths.length * 2;
        int[] l = new int[n];
        SOCKADDR[] s = new SOCKADDR[n];
        byte[][] o = new byte[n][];
        for (int i = 0; i < count; i++) {
            int at = (head + i) % lengths.length;
            l[i] = lengths[at];
            s[i] = senders[at];
            o[i] = own[at];
        }
        lengths = l;
        senders = s;
        own = o;
        head = 0;
    }

    /** Bytes queued now (tests, diagnostics). */
    long queuedBytes() {
        return bytes.used();
    }

    /** What this queue holds of the provider's total: its arrays and the messages with arrays of their own (tests). */
    synchronized long heldBytes() {
        return leased;
    }

    /** Resumes every paused source once this queue and the provider's total are down to half. */
    private void resumeIfDrained() {
        boolean waitForTotal = false;
        synchronized (this) {
            if (paused.isEmpty() || count > capacity / 2 || !bytes.drained()) {
                return;
            }
            if (total.drained()) {
                for (Channel c : paused) {
                    ReadGate.resume(c, ReadGate.RECEIVE_QUEUE);
                }
                paused.clear();
                lastPaused = null;
                anyPaused = false;
            } else {
                waitForTotal = true;
            }
        }
        if (waitForTotal) {
            total.whenDrained(retryResume);
        }
    }

    /**
     * Copies the next message into {@code buffer}; see {@code ProviderSocket.receive} for the contract
     * ({@code WSAEMSGSIZE} after filling a too-small buffer, 0 after a graceful close).
     */
    int take(ByteBuffer buffer, SOCKADDR from, boolean peek) throws WsaException {
        int length;
        int copied;
        SOCKADDR sender;
        boolean resumeDue = false;
        long back = 0;
        synchronized (this) {
            if (count == 0) {
                if (closeCode == 0) {
                    return 0;
                }
                if (closeCode != OPEN) {
                    throw new WsaException(closeCode, "the session ended; close this socket and join again");
                }
                throw new WsaException(Winsock2.WSAEWOULDBLOCK, "no message queued; wait for FD_READ");
            }
            length = lengths[head];
            sender = senders[head];
            byte[] mine = own[head];
            copied = Math.min(length, buffer.remaining());
            if (mine != null) {
                buffer.put(mine, 0, copied);
            } else if (length > 0) {
                buffer.put(held.peekFirst(), readAt, copied);
            }
            if (!peek) {
                bytes.credit(length);
                back = remove(mine);
                headLength = count == 0 ? 0 : lengths[head];
                // this queue's own half marks, seen here: the second lock (resumeIfDrained) only when they are met
                resumeDue = anyPaused && count <= capacity / 2 && bytes.drained();
            }
        }
        if (back > 0) {
            total.credit(back); // outside the lock: it may resume other sockets' connections
        }
        if (resumeDue) {
            resumeIfDrained();
        }
        if (from != null) {
            from.set(sender);
        }
        if (copied < length) {
            throw new WsaException(Winsock2.WSAEMSGSIZE, "message of " + length + " bytes truncated to the "
                    + copied + "-byte buffer" + (peek ? "" : "; the rest is discarded") + "; pass a larger buffer");
        }
        return length;
    }

    /**
     * Drops the head entry; returns what the queue gives back of the total: the message's own array, the head
     * array once the next chunked message starts in the following one, and everything once the queue is empty.
     */
    private long remove(byte[] mine) {
        long back = 0;
        if (mine != null) {
            back = mine.length;
        } else {
            readAt += lengths[head];
        }
        senders[head] = null;
        own[head] = null;
        head = (head + 1) % lengths.length;
        count--;
        if (count == 0) {
            back += giveBackArrays();
        } else if (own[head] == null && lengths[head] > 0 && readAt + lengths[head] > chunks.size()) {
            chunks.give(held.poll()); // the next message starts the following array (as add placed it)
            back += chunks.size();
            readAt = 0;
        }
        leased -= back;
        return back;
    }

    /** Gives every held array back to the pool; returns their bytes. */
    private long giveBackArrays() {
        long back = (long) held.size() * chunks.size();
        for (byte[] chunk; (chunk = held.poll()) != null; ) {
            chunks.give(chunk);
        }
        readAt = 0;
        writeAt = 0;
        if (lengths.length > Math.max(FIRST_ENTRIES, 2 * capacity)) {
            lengths = new int[FIRST_ENTRIES]; // a burst past the bound (one read per paused connection) is over
            senders = new SOCKADDR[FIRST_ENTRIES];
            own = new byte[FIRST_ENTRIES][];
            head = 0;
        }
        return back;
    }

    /** Bytes of the next message ({@code FIONREAD}). */
    int available() {
        return headLength;
    }

    /** The socket was closed: drops every message and uncounts its bytes; later ones are dropped on arrival. */
    void discard() {
        long dropped;
        synchronized (this) {
            discarded = true;
            bytes.credit(bytes.used());
            while (count > 0) {
                senders[head] = null;
                own[head] = null;
                head = (head + 1) % lengths.length;
                count--;
            }
            giveBackArrays();
            dropped = leased;
            leased = 0;
            headLength = 0;
            for (Channel c : paused) {
                ReadGate.resume(c, ReadGate.RECEIVE_QUEUE); // read again to see its close
            }
            paused.clear();
            lastPaused = null;
            anyPaused = false;
        }
        if (dropped > 0) {
            total.credit(dropped);
        }
    }

    /** No more messages will come; once drained, receive returns 0 ({@code code} 0) or fails with {@code code}. */
    synchronized void close(int code) {
        if (closeCode == OPEN) {
            closeCode = code;
        }
    }
}
