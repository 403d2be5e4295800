package org.joinleaf.multicast;

import java.util.concurrent.atomic.AtomicInteger;
import org.joinleaf.spi.ConnectCompletion;

/** Records how a join finished; counts calls so "exactly once" is checkable. */
final class RecordingCompletion implements ConnectCompletion {
    final AtomicInteger calls = new AtomicInteger();
    volatile boolean connected;
    volatile byte[] calleeData;
    volatile int errorCode;
    volatile String message;

    @Override
    public void connected(byte[] calleeData) {
        this.calleeData = calleeData;
        connected = true;
        calls.incrementAndGet();
    }

    @Override
    public void failed(int errorCode, String message) {
        this.errorCode = errorCode;
        this.message = message;
        calls.incrementAndGet();
    }
}
