package org.joinleaf.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.joinleaf.itests.blockhound.BlockingCalls;
import org.joinleaf.itests.blockhound.BlockingCalls.Finding;
import org.joinleaf.spi.TransportProvider;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Proves the BlockHound execution can fail (first class of {@link BlockHoundSuiteIT}; meaningless without it): a
 * deliberate {@code Thread.sleep} on one of provider.tcp's event loops inside Felix is recorded, the same sleep on
 * an application thread is not. It then removes its own finding so the suite's verdict judges only the real tests.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EventLoopSleepDetected {

    @Inject
    BundleContext context;

    @Configuration
    public Option[] config() {
        return new Option[] {JoinleafOptions.base(), JoinleafOptions.netty(),
            CoreOptions.bundle(JoinleafOptions.projectBundle("provider.tcp"))};
    }

    @Test // reliability.md threat "blocking on an event loop": the detector itself
    public void sleepOnTcpEventLoopIsRecordedButNotOnAnApplicationThread() throws Exception {
        assertTrue("run through BlockHoundSuiteIT (failsafe execution blockhound)", BlockingCalls.isInstalled());
        Thread.sleep(1); // an application thread may block: must not be recorded
        assertEquals(BlockingCalls.report(), 0, provoked().size());

        CountDownLatch ran = new CountDownLatch(1);
        tcpEventLoops().execute(() -> {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                ran.countDown();
            }
        });
        assertTrue("the event loop ran the task", ran.await(10, TimeUnit.SECONDS));

        List<Finding> caught = provoked();
        assertEquals("exactly the deliberate sleep: " + caught, 1, caught.size());
        assertTrue(caught.get(0).toString(), caught.get(0).method().contains("java.lang.Thread.sleep"));
        assertTrue(caught.get(0).toString(), caught.get(0).thread().startsWith("joinleaf-tcp"));
    }

    /** Findings whose stack runs through this class: the ones provoked here, removed from the record. */
    private static List<Finding> provoked() {
        return BlockingCalls.removeIf(f -> f.stack().contains(EventLoopSleepDetected.class.getName()));
    }

    /** provider.tcp's event-loop group (an Executor), reached by reflection: it is deliberately not API. */
    private Executor tcpEventLoops() throws Exception {
        for (ServiceReference<TransportProvider> ref : context.getServiceReferences(TransportProvider.class, null)) {
            Object provider = context.getService(ref);
            if (provider.getClass().getName().equals("org.joinleaf.tcp.TcpProvider")) {
                Object transport = field(provider, "transport");
                assertNotNull("provider.tcp is active", transport);
                return (Executor) field(transport, "group");
            }
        }
        throw new AssertionError("no provider.tcp TransportProvider service");
    }

    private static Object field(Object owner, String name) throws ReflectiveOperationException {
        Field f = owner.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(owner);
    }
}
