package org.joinleaf.runtime.defaultprovider;

import static org.junit.Assert.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.joinleaf.spi.ConnectCompletion;

/** A connect completion that tests can wait on; counts calls so that "exactly once" is checkable. */
final class RecordingCompletion implements ConnectCompletion {
    private final CountDownLatch done = new CountDownLatch(1);
    final AtomicInteger calls = new AtomicInteger();
    volatile int errorCode = -1;
    volatile String message;

    @Override
    public void connected(byte[] calleeData) {
        errorCode = 0;
        calls.incrementAndGet();
        done.countDown();
    }

    @Override
    public void failed(int code, String text) {
        errorCode = code;
        message = text;
        calls.incrementAndGet();
        done.countDown();
    }

    /** Waits for the outcome: 0 when connected, else the Winsock code. */
    int await() throws InterruptedException {
        assertTrue("connect did not complete", done.await(RecordingUpcalls.TIMEOUT_SECONDS, TimeUnit.SECONDS));
        return errorCode;
    }

    boolean isDone() {
        return done.getCount() == 0;
    }
}
