package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.runtime.jmx.Count;
import org.joinleaf.runtime.jmx.ProviderMXBean;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.ProviderStatus;
import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.spi.TransportProvider;
import org.joinleaf.spi.WsaException;
import org.junit.Test;

/**
 * Issue 15 item 4: one MXBean per provider name, {@code org.joinleaf:type=Provider,name=<name>}, with typed (open
 * type) attributes; its counts, the runtime's and the provider's own ({@link ProviderStatus}), survive a restart of
 * the provider.
 */
public class ProviderMBeanTest {
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    /** A provider that counts one limit, one drop reason and has one budget, like provider.tcp or multicast. */
    static final class CountingProvider implements TransportProvider, ProviderStatus {
        final AtomicLong joinRate = new AtomicLong();
        final AtomicLong queueFull = new AtomicLong();
        volatile boolean loopRuns = true;

        @Override
        public List<WSAPROTOCOL_INFO> protocols() {
            return ScriptedProvider.withJoin().entry("P-counting", AF_INET, SOCK_DGRAM, IPPROTO_UDP,
                    XP1_SUPPORT_MULTIPOINT).protocols();
        }

        @Override
        public ProviderSocket socket(WSAPROTOCOL_INFO entry, int dwFlags, SocketUpcalls upcalls) throws WsaException {
            throw new WsaException(WSAENETDOWN, "not for sockets");
        }

        @Override
        public Map<String, Long> refusals() {
            return Map.of("JOIN_RATE", joinRate.get());
        }

        @Override
        public Map<String, Long> drops() {
            return Map.of("SOCKET_QUEUE_FULL", queueFull.get());
        }

        @Override
        public Map<String, Budget> budgets() {
            return Map.of("maxQueuedBytes", new Budget(100, 1000));
        }

        @Override
        public List<String> stoppedIoThreads() {
            return loopRuns ? List.of() : List.of("counting-io-1 stopped");
        }
    }

    // issue 15 item 4: a stable name (no service.id), typed attributes, counts that survive the provider's restart
    @Test
    public void oneStableMXBeanPerNameWhoseCountsSurviveARestart() throws Exception {
        ProviderCatalog catalog = new ProviderCatalog();
        CountingProvider first = new CountingProvider();
        catalog.add(first, "jmx-test", 0, 9001L);
        ObjectName name = new ObjectName("org.joinleaf:type=Provider,name=jmx-test");
        assertFalse("a plain catalog stays off JMX", server.isRegistered(name));

        catalog.activate();
        try {
            assertTrue(server.isRegistered(name));
            assertTrue("an MXBean", JMX.isMXBeanInterface(ProviderMXBean.class)
                    && "true".equals(String.valueOf(server.getMBeanInfo(name).getDescriptor().getFieldValue("mxbean"))));
            assertEquals("jmx-test", server.getAttribute(name, "Name"));
            new SocketCounters(catalog.registrations().get(0).counters).sent(5);
            catalog.registrations().get(0).counters.error(WSAECONNREFUSED);
            first.joinRate.set(3);
            first.queueFull.set(2);
            assertEquals(5L, server.getAttribute(name, "BytesOut"));
            CompositeData[] errors = (CompositeData[]) server.getAttribute(name, "Errors");
            assertEquals("WSAECONNREFUSED", errors[0].get("name"));
            assertEquals(1L, errors[0].get("count"));
            CompositeData[] budgets = (CompositeData[]) server.getAttribute(name, "Budgets");
            assertEquals(1000L, budgets[0].get("totalBytes"));

            catalog.remove(first); // a configuration change or a bundle update: the old instance leaves...
            assertTrue("the name stays while the provider is away", server.isRegistered(name));
            assertEquals(false, server.getAttribute(name, "Present"));
            assertNull(server.getAttribute(name, "StartedAt"));

            CountingProvider second = new CountingProvider(); // ...and a new one, with a new service.id, comes
            catalog.add(second, "jmx-test", 0, 9002L);
            second.joinRate.set(1);
            new SocketCounters(catalog.registrations().get(0).counters).sent(7);
            ProviderMXBean view = JMX.newMXBeanProxy(server, name, ProviderMXBean.class);
            assertTrue(view.isPresent());
            assertNotNull(view.getStartedAt());
            assertEquals(2, view.getStarts());
            assertEquals("runtime counters go on", 12L, view.getBytesOut());
            assertEquals("the provider's own counts go on", "[JOIN_RATE=4]", view.getRefusals().toString());
            assertEquals("[SOCKET_QUEUE_FULL=2]", view.getDrops().toString());
            assertEquals(1, view.getErrors().size());
            assertTrue(view.getStoppedIoThreads().isEmpty());
            second.loopRuns = false;
            assertEquals(List.of("counting-io-1 stopped"), view.getStoppedIoThreads());
            assertTrue(view.getCountingSince().getTime() <= view.getStartedAt().getTime());
        } finally {
            catalog.deactivate();
        }
        assertFalse("unregistered on deactivate", server.isRegistered(name));
    }

    // issue 15 item 4: a provider without ProviderStatus shows the runtime's counters and empty provider lists
    @Test
    public void aProviderWithoutStatusShowsTheRuntimeCountersOnly() throws Exception {
        ProviderCatalog catalog = new ProviderCatalog();
        catalog.activate();
        try {
            catalog.add(ScriptedProvider.withJoin().entry("P-plain", AF_INET, SOCK_DGRAM, IPPROTO_UDP,
                    XP1_SUPPORT_MULTIPOINT), "plain, \"quoted\"", 0, 9003L);
            ObjectName name = new ObjectName("org.joinleaf:type=Provider,name="
                    + ObjectName.quote("plain, \"quoted\""));
            ProviderMXBean view = JMX.newMXBeanProxy(server, name, ProviderMXBean.class);
            assertEquals(List.<Count>of().size(), view.getRefusals().size());
            assertTrue(view.getBudgets().isEmpty());
            assertEquals(0L, view.getJoinsAttempted());
        } finally {
            catalog.deactivate();
        }
    }
}
