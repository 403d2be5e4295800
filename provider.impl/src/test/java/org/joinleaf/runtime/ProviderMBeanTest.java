package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.Test;

/** Issue 6 item 6: one MBean per provider on the platform MBeanServer, while the provider is in the catalog. */
public class ProviderMBeanTest {
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    @Test
    public void mbeanLivesWhileTheProviderIsInTheActivatedCatalog() throws Exception {
        ProviderCatalog catalog = new ProviderCatalog();
        ScriptedProvider p = ScriptedProvider.withJoin().entry("P-jmx", AF_INET, SOCK_DGRAM, IPPROTO_UDP,
                XP1_SUPPORT_MULTIPOINT);
        catalog.add(p, "jmx-test", 0, 9001L);
        ObjectName name = new ObjectName("org.joinleaf:type=Provider,name=\"jmx-test\",serviceId=9001");
        assertFalse("a plain catalog stays off JMX", server.isRegistered(name));

        catalog.activate();
        assertTrue(server.isRegistered(name));
        assertEquals("jmx-test", server.getAttribute(name, "ProviderName"));
        catalog.registrations().get(0).counters.sent(5);
        assertEquals(5L, server.getAttribute(name, "BytesOut"));

        catalog.remove(p);
        assertFalse("unregistered when the provider leaves", server.isRegistered(name));

        catalog.add(p, "jmx-test", 0, 9001L);
        assertTrue("a provider that comes later is registered too", server.isRegistered(name));
        catalog.deactivate();
        assertFalse("unregistered on deactivate", server.isRegistered(name));
    }
}
