package org.joinleaf.spi.testkit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.joinleaf.api.WSAError;
import org.joinleaf.spi.ConnectCompletion;

/**
 * The runtime's side of {@link ConnectCompletion} for provider tests: records how a join or connect ended and
 * counts the calls, so "exactly once" is checkable. One copy for every provider module.
 */
public final class RecordingCompletion implements ConnectCompletion {
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

    /** Waits (bounded) for the outcome, checks it came exactly once, and returns it: 0 is success. */
    public int awaitCode() throws InterruptedException {
        assertTrue("join did not finish within " + RecordingUpcalls.TIMEOUT_MILLIS + " ms",
                done.await(RecordingUpcalls.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
        assertEquals("completion called more than once", 1, calls.get());
        return code;
    }

    /** Waits for success and returns the callee data. */
    public byte[] awaitConnected() throws InterruptedException {
        assertEquals("join failed: " + message, 0, awaitCode());
        return calleeData;
    }

    /** Waits for a failure and returns its code. */
    public int awaitFailed() throws InterruptedException {
        int actual = awaitCode();
        assertTrue("join succeeded", actual > 0);
        return actual;
    }

    /** Waits for a failure with {@code expected}. */
    public void awaitFailed(int expected) throws InterruptedException {
        int actual = awaitCode();
        if (actual != expected) {
            fail("expected " + WSAError.describe(expected) + " but was " + WSAError.describe(actual) + ": " + message);
        }
    }

    /** True once the completion was called. */
    public boolean finished() {
        return done.getCount() == 0;
    }

    /** True when it was called with success. */
    public boolean connected() {
        return finished() && code == 0;
    }

    /** The outcome so far: -1 while not finished, 0 for success, else the Winsock code. */
    public int code() {
        return code;
    }

    public int calls() {
        return calls.get();
    }

    public String message() {
        return message;
    }

    public byte[] calleeData() {
        return calleeData;
    }
}
