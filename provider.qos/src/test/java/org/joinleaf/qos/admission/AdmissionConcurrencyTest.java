package org.joinleaf.qos.admission;

import static org.joinleaf.api.Winsock2.JL_BOTH;
import static org.joinleaf.api.Winsock2.SERVICETYPE_CONTROLLEDLOAD;
import static org.joinleaf.api.Winsock2.SERVICETYPE_GUARANTEED;
import static org.joinleaf.api.Winsock2.WSA_QOS_ADMISSION_FAILURE;
import static org.joinleaf.qos.admission.Flows.sending;
import static org.joinleaf.qos.admission.Flows.spec;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.joinleaf.qos.FlowGrant;
import org.joinleaf.qos.QosRejectedException;
import org.junit.After;
import org.junit.Test;

/** Rule Q10 under contention: many threads admitting, renegotiating and releasing; the totals stay exact. */
public class AdmissionConcurrencyTest {
    private static final String SCOPE = "tcp";
    private static final int THREADS = 16;
    private static final long TIMEOUT_SECONDS = 30;

    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @After
    public void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
    }

    @Test
    public void q10ExactlyAsManyFlowsAsFitAreAdmittedAtOnce() throws Exception {
        AdmissionControl service = Configs.service(Map.of("defaultCapacity", 10_000L));
        int contenders = 4 * THREADS;
        CountDownLatch start = new CountDownLatch(1);
        Collection<FlowGrant> admitted = new ConcurrentLinkedQueue<>();
        AtomicInteger refused = new AtomicInteger();
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < contenders; i++) {
            tasks.add(() -> {
                start.await();
                try {
                    admitted.add(service.admit(SCOPE, sending(spec(SERVICETYPE_GUARANTEED, 1_000)), JL_BOTH));
                } catch (QosRejectedException e) {
                    assertEquals(WSA_QOS_ADMISSION_FAILURE, e.reason());
                    refused.incrementAndGet();
                }
                return null;
            });
        }
        List<Future<Void>> done = submitAll(tasks);
        start.countDown();
        awaitAll(done);
        assertEquals(10, admitted.size());
        assertEquals(contenders - 10, refused.get());
        assertEquals(0, service.remainingCapacity(SCOPE));

        // Every grant released twice, from two threads at once: capacity comes back exactly once.
        CountDownLatch releaseStart = new CountDownLatch(1);
        List<Callable<Void>> releases = new ArrayList<>();
        for (FlowGrant g : admitted) {
            for (int twice = 0; twice < 2; twice++) {
                releases.add(() -> {
                    releaseStart.await();
                    g.release();
                    return null;
                });
            }
        }
        List<Future<Void>> released = submitAll(releases);
        releaseStart.countDown();
        awaitAll(released);
        assertEquals(10_000, service.remainingCapacity(SCOPE));
    }

    @Test
    public void q10ChurnNeverOverbooksAndTotalsStayExact() throws Exception {
        long capacity = 50_000;
        AdmissionControl service = Configs.service(Map.of("defaultCapacity", capacity));
        ConcurrentLinkedQueue<FlowGrant> survivors = new ConcurrentLinkedQueue<>();
        AtomicInteger admissions = new AtomicInteger();
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long seed = t;
            tasks.add(() -> {
                Random random = new Random(seed);
                ArrayDeque<FlowGrant> held = new ArrayDeque<>();
                for (int i = 0; i < 2_000; i++) {
                    int rate = 1 + random.nextInt(5_000);
                    try {
                        if (!held.isEmpty() && random.nextInt(3) == 0) {
                            held.peekLast().renegotiate(sending(spec(SERVICETYPE_CONTROLLEDLOAD, rate)));
                        } else {
                            held.addLast(service.admit(SCOPE, sending(spec(SERVICETYPE_CONTROLLEDLOAD, rate)),
                                    JL_BOTH));
                            admissions.incrementAndGet();
                        }
                    } catch (QosRejectedException e) {
                        assertEquals(WSA_QOS_ADMISSION_FAILURE, e.reason());
                    }
                    if (held.size() > 3) {
                        held.removeFirst().release();
                    }
                }
                survivors.addAll(held);
                return null;
            });
        }
        awaitAll(submitAll(tasks));
        assertTrue("the run admitted flows: " + admissions, admissions.get() > THREADS);
        long held = survivors.stream().mapToLong(FlowGrant::reservedRate).sum();
        assertTrue("never more reserved than the capacity: " + held, held <= capacity);
        assertEquals(capacity - held, service.remainingCapacity(SCOPE));
        survivors.forEach(FlowGrant::release);
        assertEquals(capacity, service.remainingCapacity(SCOPE));
    }

    private List<Future<Void>> submitAll(List<Callable<Void>> tasks) {
        List<Future<Void>> futures = new ArrayList<>();
        for (Callable<Void> task : tasks) {
            futures.add(pool.submit(task));
        }
        return futures;
    }

    private static void awaitAll(List<Future<Void>> futures) throws Exception {
        for (Future<Void> f : futures) {
            f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS); // rethrows a failed assertion of the task
        }
    }
}
