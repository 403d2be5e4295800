package org.joinleaf.runtime;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.joinleaf.api.SOCKET;
import org.junit.Test;

/** Issue 15 item 4: one MXBean per root session, while the c_root is open and the catalog exports to JMX. */
public class SessionMBeanTest extends ScriptedRuntimeTest {
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    private Set<ObjectName> sessions() throws Exception {
        return server.queryNames(new ObjectName("org.joinleaf:type=Session,process=\"plain object\",*"), null);
    }

    @Test
    public void aRootSessionHasAnMXBeanUntilTheRootCloses() throws Exception {
        SOCKET before = rrRoot();
        assertTrue("a plain catalog stays off JMX", sessions().isEmpty());
        catalog.activate();
        try {
            SOCKET root = rrRoot();
            SOCKET leaf = rrLeaf();
            Set<ObjectName> names = sessions();
            assertEquals("one per root opened while exporting, none for a leaf: " + names, 1, names.size());
            ObjectName name = names.iterator().next();
            assertEquals("0x" + Long.toHexString(root.value()), name.getKeyProperty("handle"));
            assertEquals("P-rr", server.getAttribute(name, "Provider"));
            assertEquals("c_root/d_root", server.getAttribute(name, "Kind"));
            assertEquals(0, server.getAttribute(name, "Leaves"));
            assertEquals(0L, server.getAttribute(name, "BytesOut"));

            assertEquals(0, ws.closesocket(root));
            assertFalse("unregistered when the root closes", server.isRegistered(name));
            SOCKET another = rrRoot();
            assertEquals(1, sessions().size());
            assertEquals(0, ws.WSACleanup()); // the last WSACleanup closes every socket
            assertTrue("unregistered when the process ends", sessions().isEmpty());
            assertTrue(before != null && leaf != null && another != null);
        } finally {
            catalog.deactivate();
        }
    }
}
