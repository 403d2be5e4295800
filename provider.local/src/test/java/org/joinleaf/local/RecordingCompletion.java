package org.joinleaf.local;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.joinleaf.spi.ConnectCompletion;

/** Records the outcome of one join; counts calls so that "exactly once" can be checked. */
final class RecordingCompletion implements ConnectCompletion {
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicInteger calls = new AtomicInteger();
    private volatile byte[] calleeData;
    private volatile int errorCode = -1;

    @Override
    public void connected(byte[] data) {
        calleeData = data;
        errorCode = 0;
        calls.incrementAndGet();
        done.countDown();
    }

    @Override
    public void failed(int code, String message) {
        errorCode = code;
        calls.incrementAndGet();
        done.countDown();
    }

    private void await() throws InterruptedException {
        assertTrue("join not completed within 5 s", done.await(5, TimeUnit.SECONDS));
        assertEquals("completion called more than once", 1, calls.get());
    }

    /** Waits for success and returns the callee data. */
    byte[] awaitConnected() throws InterruptedException {
        await();
        assertEquals("join failed", 0, errorCode);
        return calleeData;
    }

    /** Waits for failure and returns its code. */
    int awaitFailed() throws InterruptedException {
        await();
        assertTrue("join succeeded", errorCode > 0);
        return errorCode;
    }

    int calls() {
        return calls.get();
    }
}
