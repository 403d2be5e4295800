package org.joinleaf.runtime;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.joinleaf.runtime.dto.CountersDTO;
import org.junit.Test;

/**
 * Issue 14 item 1 (decision 54): a socket counts its traffic in its own fields and the provider sums them; what a
 * closed socket counted stays in the provider's totals, and no count is lost or counted twice, by concurrent receive
 * threads or by a count racing the close.
 */
public class SocketTrafficTest {
    private static final int THREADS = 4;
    private static final int PER_THREAD = 50_000;

    @Test
    public void aClosedSocketsCountsStayInTheProvidersTotals() {
        Counters provider = new Counters();
        SocketCounters a = new SocketCounters(provider);
        SocketCounters b = new SocketCounters(provider);
        a.received(10);
        a.sent(3);
        b.received(5);
        new SocketCounters(provider).received(1); // a third socket, never closed
        assertEquals(3, provider.messagesIn());
        assertEquals(16, provider.bytesIn());
        a.closed();
        a.closed(); // twice (close, then the provider leaving): folded once
        assertEquals("a closed socket's counts stay", 3, provider.messagesIn());
        assertEquals(16, provider.bytesIn());
        assertEquals(1, provider.messagesOut());
        assertEquals(3, provider.bytesOut());
        a.received(7); // a receive that returned as closesocket ran
        assertEquals("a count after the close is folded in once", 4, provider.messagesIn());
        assertEquals(23, provider.bytesIn());
        CountersDTO socket = a.dto();
        assertEquals("the socket's own view", 2, socket.messagesIn);
        assertEquals(17, socket.bytesIn);
        assertEquals(1, b.dto().messagesIn);
    }

    @Test(timeout = 60_000)
    public void concurrentReceiveThreadsLoseNoCount() throws Exception {
        Counters provider = new Counters();
        SocketCounters shared = new SocketCounters(provider);
        SocketCounters closing = new SocketCounters(provider);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int n = 0; n < PER_THREAD; n++) {
                    shared.received(2);
                    closing.received(1);
                }
            });
            t.start();
            threads.add(t);
        }
        start.countDown();
        Thread.sleep(1); // let counts start, then close one socket under its receivers
        closing.closed();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(50));
        }
        long all = (long) THREADS * PER_THREAD;
        assertEquals("one socket read by several threads", all, shared.dto().messagesIn);
        assertEquals(2 * all, shared.dto().bytesIn);
        assertEquals("the provider: both sockets, one closed under its receivers", 2 * all, provider.messagesIn());
        assertEquals(3 * all, provider.bytesIn());
    }
}
