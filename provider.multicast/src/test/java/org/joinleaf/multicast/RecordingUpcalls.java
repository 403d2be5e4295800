package org.joinleaf.multicast;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.joinleaf.spi.SocketUpcalls;

/** A runtime stand-in that counts the events a socket posts and lets a test wait for them. */
final class RecordingUpcalls implements SocketUpcalls {
    private static final int BITS = 10;
    private final AtomicIntegerArray counts = new AtomicIntegerArray(BITS);
    private final AtomicIntegerArray lastError = new AtomicIntegerArray(BITS);
    private final Semaphore[] posted = new Semaphore[BITS];

    RecordingUpcalls() {
        for (int i = 0; i < BITS; i++) {
            posted[i] = new Semaphore(0);
        }
    }

    @Override
    public void post(int fdBit, int errorCode) {
        lastError.set(fdBit, errorCode);
        counts.incrementAndGet(fdBit);
        posted[fdBit].release();
    }

    /** Waits up to {@code millis} for one more post of {@code fdBit} than already awaited. */
    boolean await(int fdBit, long millis) throws InterruptedException {
        return posted[fdBit].tryAcquire(millis, TimeUnit.MILLISECONDS);
    }

    int count(int fdBit) {
        return counts.get(fdBit);
    }

    int lastError(int fdBit) {
        return lastError.get(fdBit);
    }
}
