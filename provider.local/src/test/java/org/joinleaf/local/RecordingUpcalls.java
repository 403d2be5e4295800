package org.joinleaf.local;

import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.joinleaf.spi.SocketUpcalls;

/** Records every {@code post}; tests wait for an event with a deadline instead of sleeping. */
final class RecordingUpcalls implements SocketUpcalls {
    private static final long WAIT_MILLIS = 5000;

    private final List<int[]> unconsumed = new ArrayList<>();
    private final int[] counts = new int[10];

    @Override
    public synchronized void post(int fdBit, int errorCode) {
        unconsumed.add(new int[] {fdBit, errorCode});
        counts[fdBit]++;
        notifyAll();
    }

    /** Waits for the next unconsumed {@code fdBit} event and returns its error code. */
    synchronized int await(int fdBit) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (true) {
            for (int i = 0; i < unconsumed.size(); i++) {
                if (unconsumed.get(i)[0] == fdBit) {
                    return unconsumed.remove(i)[1];
                }
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                fail("no event with FD bit " + fdBit + " within " + WAIT_MILLIS + " ms");
            }
            wait(left);
        }
    }

    /** How many {@code fdBit} events were posted so far, consumed or not. */
    synchronized int count(int fdBit) {
        return counts[fdBit];
    }
}
