package org.joinleaf.tcp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.joinleaf.api.WSAError;
import org.joinleaf.spi.ConnectCompletion;

/** Records how a join ended; checks it ended exactly once. */
final class RecordingCompletion implements ConnectCompletion {
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicInteger calls = new AtomicInteger();
    private volatile byte[] calleeData;
    private volatile int code = -1;
    private volatile String message;

    @Override
    public void connected(byte[] data) {
        calleeData = data;
        code = 0;
        calls.incrementAndGet();
        done.countDown();
    }

    @Override
    public void failed(int errorCode, String text) {
        code = errorCode;
        message = text;
        calls.incrementAndGet();
        done.countDown();
    }

    /** Waits for success and returns the callee data. */
    byte[] awaitConnected() throws InterruptedException {
        assertEquals("join failed: " + message, 0, awaitCode());
        return calleeData;
    }

    /** Waits for the outcome; 0 is success. */
    int awaitCode() throws InterruptedException {
        assertTrue("join did not finish", done.await(RecordingUpcalls.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
        assertEquals("completion called more than once", 1, calls.get());
        return code;
    }

    void awaitFailed(int expected) throws InterruptedException {
        int actual = awaitCode();
        if (actual != expected) {
            fail("expected " + WSAError.describe(expected) + " but was " + WSAError.describe(actual) + ": " + message);
        }
    }

    boolean finished() {
        return done.getCount() == 0;
    }

    String message() {
        return message;
    }
}
