package org.joinleaf.runtime.defaultprovider;

import static org.junit.Assert.assertNotNull;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.joinleaf.spi.SocketUpcalls;

/** Records every post, per FD bit, so that tests can wait for the next one. */
final class RecordingUpcalls implements SocketUpcalls {
    static final long TIMEOUT_SECONDS = 10;

    @SuppressWarnings("unchecked")
    private final BlockingQueue<Integer>[] posts = new BlockingQueue[10];

    RecordingUpcalls() {
        for (int i = 0; i < posts.length; i++) {
            posts[i] = new LinkedBlockingQueue<>(100_000);
        }
    }

    @Override
    public void post(int fdBit, int errorCode) {
        posts[fdBit].offer(errorCode);
    }

    /** Waits for the next post of {@code fdBit} and returns its error code; fails after the timeout. */
    int await(int fdBit) throws InterruptedException {
        Integer code = posts[fdBit].poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertNotNull("no post of FD bit " + fdBit + " within " + TIMEOUT_SECONDS + " s", code);
        return code;
    }
}
