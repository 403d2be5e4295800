package org.joinleaf.spi;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.Test;

/**
 * Decision 25: the one "sent from this host" rule every provider applies for loopback off: a loopback address or an
 * address of one of the host's interfaces, whichever socket or program sent it.
 */
public class LocalSourcesTest {

    @Test
    public void loopbackAndInterfaceAddressesAreLocalOthersAreNot() throws Exception {
        InetAddress own = InetAddress.getByName("192.0.2.10");
        LocalSources sources = new LocalSources(() -> List.of(own));
        assertTrue(sources.isLocal(InetAddress.getByName("127.0.0.1")));
        assertTrue("all of 127.0.0.0/8", sources.isLocal(InetAddress.getByName("127.4.5.6")));
        assertTrue(sources.isLocal(InetAddress.getByName("::1")));
        assertTrue("an interface address", sources.isLocal(own));
        assertFalse("another host", sources.isLocal(InetAddress.getByName("192.0.2.11")));
    }

    @Test
    public void theHostsOwnAddressesAreLocal() {
        LocalSources sources = new LocalSources();
        for (InetAddress a : LocalSources.hostAddresses()) {
            assertTrue(a + " is this host's", sources.isLocal(a));
        }
    }
}
