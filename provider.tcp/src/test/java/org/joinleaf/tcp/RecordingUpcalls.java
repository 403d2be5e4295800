package org.joinleaf.tcp;

import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.joinleaf.api.WSAError;
import org.joinleaf.spi.SocketUpcalls;

/** Records every posted event; tests wait on it (bounded) instead of sleeping. */
final class RecordingUpcalls implements SocketUpcalls {
    static final long TIMEOUT_MILLIS = 10_000;

    private final String name;
    private final List<int[]> events = new ArrayList<>();

    RecordingUpcalls(String name) {
        this.name = name;
    }

    @Override
    public synchronized void post(int fdBit, int errorCode) {
        events.add(new int[] {fdBit, errorCode});
        notifyAll();
    }

    /** Waits for the next not yet consumed event with {@code fdBit}, consumes it and returns its error code. */
    synchronized int await(int fdBit) throws InterruptedException {
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        while (true) {
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i)[0] == fdBit) {
                    return events.remove(i)[1];
                }
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                fail(name + ": no event bit " + fdBit + " within " + TIMEOUT_MILLIS + " ms; saw " + describe());
            }
            wait(left);
        }
    }

    /** Waits until {@code condition} holds, re-checking after every posted event (and at least every 50 ms). */
    void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        while (!condition.getAsBoolean()) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                fail(name + ": timed out waiting for " + what);
            }
            synchronized (this) {
                wait(Math.min(left, 50));
            }
        }
    }

    /** Events with {@code fdBit} not yet consumed. */
    synchronized int count(int fdBit) {
        return (int) events.stream().filter(e -> e[0] == fdBit).count();
    }

    private String describe() {
        StringBuilder b = new StringBuilder("[");
        for (int[] e : events) {
            b.append(" bit").append(e[0]).append('=').append(WSAError.nameOf(e[1]));
        }
        return b.append(" ]").toString();
    }
}
