package org.joinleaf.tcp.session;

import io.netty.channel.Channel;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.WsaException;
import org.joinleaf.tcp.protocol.FrameCodec;

/**
 * The received messages of one socket, whole and in order, each with its sender. Bounded in messages
 * ({@code receiveQueueMessages}), in bytes ({@code receiveQueueBytes}), and together with every other socket's
 * queue by the provider's {@code maxReceivedBytes}: when one bound is reached, every connection that can deliver into
 * the queue stops reading (TCP then pushes back on the senders) until the application has taken the queue down to
 * half of its bounds and the provider's total is down to half too. A root's members ({@link #admit}) are paused
 * together, and a member admitted while the queue is full starts paused (decision 52): pausing only the connection
 * that delivered let a full queue take one more message from each of its members, a few hundred 64 KiB messages past
 * a 1 MiB bound. What a paused connection still reads is held by {@link PausedInput}, not delivered, so the hard bound
 * is each bound plus the frames of the reads being decoded when the queue filled: one read (capped at the high water
 * mark) per event loop.
 *
 * <p>The provider's total is taken in steps, not per message ({@link #leased}, decision 48): the one counter every
 * event loop's add and every reader's take shared was half of the take's time (issue 14 item 2). A queue holds what
 * its messages need plus at most one {@link #step} unused, within its own bound; a step that does not fit the total
 * shrinks to what the message needs, and an empty queue gives everything back, so the total is exact: it is what
 * the queues hold, and a queue idle since its last take holds none of it. The total stops a connection when what
 * its queue needs does not fit it; within a lease the total does not grow.
 *
 * <p>Messages are queued as {@link ReceivedChunk}s: a read's DATA frames come in one chunk (or a few), added under
 * one lock, counted and checked against the bounds together, so a source is paused after the read that reached a
 * bound as before (decision 55); a receive copies a message's body from its chunk straight into the caller's buffer.
 *
 * <p>Pitfall: {@link #add} runs on event loops, {@link #take} on application threads; a full queue pauses its
 * sources from whichever thread fills it, and {@link ReadGate} turns their reading off at once (decision 52).
 */
final class InboundQueue {
    private static final int OPEN = -1;
    /**
     * The empty queue's answer, one object: a receive loop meets it once per burst it drains, and it carries no
     * stack or cause, so nothing can change it (the runtime's error boundary reports its code and message as for
     * any other; decision 53).
     */
    private static final WsaException EMPTY =
            new WsaException(Winsock2.WSAEWOULDBLOCK, "no message queued; wait for FD_READ");
    /** The most of the provider's total one queue takes at a time beyond what it needs. */
    static final long MAX_STEP_BYTES = 8 * 1024;
    /** Steps stay this small a share of the total, so that the rests of busy queues cannot add up to much of it. */
    static final int STEPS_PER_TOTAL = 256;

    private final int capacity;
    /** {@code receiveQueueBytes}: this queue's bytes. */
    private final MemoryBudget bytes;
    /** {@code maxReceivedBytes}: every queue's bytes, shared. */
    private final MemoryBudget total;
    /** What this queue holds of {@link #total}: its messages' bytes and at most one {@link #step} more. */
    private long leased;
    private final long step;
    /** The chunks queued, oldest first; {@code count} messages in all. */
    private ReceivedChunk head;
    private ReceivedChunk tail;
    private int count;
    private final Set<Channel> paused = new LinkedHashSet<>();
    /** The connections that may deliver into this queue besides loopback ({@link #admit}); until they close. */
    private final Set<Channel> sources = new HashSet<>();
    /** True from a bound being reached until the sources resume: every source is paused, new ones too. */
    private boolean holding;
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

    InboundQueue(int capacity, MemoryBudget bytes, MemoryBudget total) {
        this.capacity = capacity;
        this.bytes = bytes;
        this.total = total;
        this.step = Math.min(MAX_STEP_BYTES, total.limit() / STEPS_PER_TOTAL);
    }

    /**
     * {@code source} may deliver into this queue from now on (a root's member, at its admission): it is paused with
     * the others when the queue fills, and at once while the queue is full. Any thread.
     */
    void admit(Channel source) {
        synchronized (this) {
            if (discarded || !sources.add(source)) {
                return;
            }
            if (holding) {
                pause(source);
            }
        }
        source.closeFuture().addListener(f -> forget(source));
    }

    private synchronized void forget(Channel source) {
        sources.remove(source);
        paused.remove(source);
        if (lastPaused == source) {
            lastPaused = null;
        }
    }

    /** Under the lock: stops {@code c} reading, for this queue's reason, unless it is paused already. */
    private void pause(Channel c) {
        if (paused.add(c)) {
            ReadGate.pause(c, ReadGate.RECEIVE_QUEUE);
            anyPaused = true;
        }
    }

    /**
     * Appends the messages of {@code chunks} (a chain: every message of one read) in one step; pauses {@code source}
     * (may be {@code null} for loopback copies) when they reach a bound, as if added one by one: each is kept, and
     * the source stops after the read (decisions 52, 55). True when the queue was empty: only then is FD_READ news
     * (a receive re-reports a queue it leaves non-empty).
     */
    boolean add(ReceivedChunk chunks, Channel source) {
        int added = 0;
        long length = 0;
        ReceivedChunk last = chunks;
        for (ReceivedChunk c = chunks; c != null; c = c.next) {
            added += c.messages;
            length += c.bodyBytes;
            last = c;
        }
        boolean waitForTotal;
        boolean first;
        synchronized (this) {
            if (discarded) {
                return false; // the socket is closed: nobody will take it
            }
            first = head == null;
            if (first) {
                head = chunks;
                headLength = chunks.headLength();
            } else {
                tail.next = chunks;
            }
            tail = last;
            count += added;
            bytes.charge(length);
            boolean totalOver = bytes.used() > leased && lease(bytes.used() - leased);
            boolean full = totalOver || count >= capacity || bytes.over();
            if (!full || source == null || source == lastPaused || paused.contains(source)) {
                return first;
            }
            lastPaused = source;
            pause(source);
            if (!holding) {
                holding = true;
                sources.forEach(this::pause); // the others would each deliver a message more (decision 52)
            }
            waitForTotal = totalOver;
        }
        if (waitForTotal) {
            total.whenDrained(retryResume); // another socket's take may be what frees the total
        }
        return first;
    }

    /**
     * Takes {@code needed} more bytes of the total, and a step more when that fits both the total and this queue's
     * bound. The bytes needed are taken even over the total (they exist already); true when they did not fit, so
     * the source must stop.
     */
    private boolean lease(long needed) {
        long more = Math.max(needed, Math.min(needed + step, bytes.limit() - leased));
        if (total.tryCharge(more) || (more > needed && total.tryCharge(more = needed))) {
            leased += more;
            return false; // within the total: a rest that fills it exactly stops nobody yet
        }
        leased += needed;
        total.charge(needed);
        return true;
    }

    /**
     * What the queue gives back of its lease after a take: everything once empty, else what it does not use beyond
     * one step (it keeps half a step then). Credited to the total outside the lock, as it may resume other sockets.
     */
    private long trim() {
        long unused = leased - bytes.used();
        if (head == null) {
            leased -= unused;
            return unused;
        }
        if (unused <= step) {
            return 0;
        }
        long back = unused - step / 2;
        leased -= back;
        return back;
    }

    /** What this queue holds of the provider's total: its messages' bytes and at most one step (tests). */
    synchronized long heldBytes() {
        return leased;
    }

    /** Bytes queued now (tests, diagnostics). */
    long queuedBytes() {
        return bytes.used();
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
                holding = false;
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
        ReceivedChunk m;
        int at;
        int length;
        boolean resumeDue = false;
        long back = 0;
        synchronized (this) {
            m = head;
            if (m == null) {
                return drained();
            }
            at = m.position + FrameCodec.HEADER;
            length = m.headLength();
            if (!peek) {
                // the chunk is never written again: its bytes are copied out below, outside the lock
                if (m.skip(at + length)) {
                    unlinkHead();
                }
                count--;
                bytes.credit(length);
                back = trim();
                headLength = head == null ? 0 : head.headLength();
                // this queue's own half marks, seen here: the second lock (resumeIfDrained) only when they are met
                resumeDue = anyPaused && count <= capacity / 2 && bytes.drained();
            }
        }
        if (!peek) {
            if (back > 0) {
                total.credit(back); // outside the lock: it may resume other sockets' connections
            }
            if (resumeDue) {
                resumeIfDrained();
            }
        }
        if (from != null) {
            from.set(m.from);
        }
        int copied = Math.min(length, buffer.remaining());
        buffer.put(m.frames, at, copied);
        if (copied < length) {
            throw truncated(length, copied, peek);
        }
        return length;
    }

    // take's rare paths, out of line: a hot take stays small enough for the JIT to inline (FreqInlineSize)

    /** Under the lock, the queue empty: 0 after a graceful close, else the close's code or WSAEWOULDBLOCK. */
    private int drained() throws WsaException {
        if (closeCode == 0) {
            return 0;
        }
        if (closeCode != OPEN) {
            throw new WsaException(closeCode, "the session ended; close this socket and join again");
        }
        throw EMPTY;
    }

    /** Under the lock: the head chunk's last message was taken. */
    private void unlinkHead() {
        ReceivedChunk taken = head;
        head = taken.next;
        taken.next = null;
        if (head == null) {
            tail = null;
        }
    }

    private static WsaException truncated(int length, int copied, boolean peek) {
        return new WsaException(Winsock2.WSAEMSGSIZE, "message of " + length + " bytes truncated to the "
                + copied + "-byte buffer" + (peek ? "" : "; the rest is discarded") + "; pass a larger buffer");
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
            dropped = leased;
            leased = 0;
            head = null;
            tail = null;
            count = 0;
            headLength = 0;
            for (Channel c : paused) {
                ReadGate.resume(c, ReadGate.RECEIVE_QUEUE); // read again to see its close
            }
            paused.clear();
            sources.clear();
            lastPaused = null;
            anyPaused = false;
            holding = false;
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
