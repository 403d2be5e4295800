package org.joinleaf.spi.testkit;

import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.joinleaf.api.WSAError;
import org.joinleaf.spi.SocketUpcalls;

/**
 * The runtime's side of {@link SocketUpcalls} for provider tests: records every posted event so a test can wait for
 * one (bounded, never sleeping), count them and read the last error code. One copy for every provider module.
 */
public final class RecordingUpcalls implements SocketUpcalls {
    /** How long a test waits for an event or a condition before it fails. */
    public static final long TIMEOUT_MILLIS = 10_000;

    private static final int BITS = 10;

    private final String name;
    private final List<int[]> unconsumed = new ArrayList<>();
    private final int[] posted = new int[BITS];
    private final int[] lastError = new int[BITS];

    public RecordingUpcalls() {
        this("socket");
    }

    /** {@code name} appears in failure messages, to tell the sockets of one test apart. */
    public RecordingUpcalls(String name) {
        this.name = name;
    }

    @Override
    public synchronized void post(int fdBit, int errorCode) {
        unconsumed.add(new int[] {fdBit, errorCode});
        posted[fdBit]++;
        lastError[fdBit] = errorCode;
        notifyAll();
    }

    /** Waits for the next not yet consumed {@code fdBit} event, consumes it and returns its code; fails on timeout. */
    public int await(int fdBit) throws InterruptedException {
        Integer code = take(fdBit, TIMEOUT_MILLIS);
        if (code == null) {
            fail(name + ": no event bit " + fdBit + " within " + TIMEOUT_MILLIS + " ms; saw " + describe());
        }
        return code;
    }

    /** Waits up to {@code millis} for the next not yet consumed {@code fdBit} event and consumes it. */
    public boolean await(int fdBit, long millis) throws InterruptedException {
        return take(fdBit, millis) != null;
    }

    private synchronized Integer take(int fdBit, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            for (int i = 0; i < unconsumed.size(); i++) {
                if (unconsumed.get(i)[0] == fdBit) {
                    return unconsumed.remove(i)[1];
                }
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return null;
            }
            wait(left);
        }
    }

    /** Waits until {@code condition} holds, re-checking after every posted event (and at least every 50 ms). */
    public void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
        while (!condition.getAsBoolean()) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                fail(name + ": timed out waiting for " + what);
            }
            synchronized (this) {
                wait(Math.min(left, 50));
            }
        }
    }

    /** Events with {@code fdBit} posted and not yet consumed by {@link #await}. */
    public synchronized int count(int fdBit) {
        int n = 0;
        for (int[] e : unconsumed) {
            n += e[0] == fdBit ? 1 : 0;
        }
        return n;
    }

    /** Events with {@code fdBit} posted so far, consumed or not. */
    public synchronized int posted(int fdBit) {
        return posted[fdBit];
    }

    /** The error code of the last {@code fdBit} event posted (0 when none was). */
    public synchronized int lastError(int fdBit) {
        return lastError[fdBit];
    }

    private synchronized String describe() {
        StringBuilder b = new StringBuilder("[");
        for (int[] e : unconsumed) {
            b.append(" bit").append(e[0]).append('=').append(WSAError.nameOf(e[1]));
        }
        return b.append(" ]").toString();
    }
}
