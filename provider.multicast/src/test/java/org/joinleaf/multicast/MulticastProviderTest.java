package org.joinleaf.multicast;

import static org.joinleaf.api.Winsock2.AF_INET;
import static org.joinleaf.api.Winsock2.WSAEINVAL;
import static org.joinleaf.api.Winsock2.WSAESOCKTNOSUPPORT;
import static org.joinleaf.api.Winsock2.WSAENETDOWN;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_C_LEAF;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_C_ROOT;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_D_LEAF;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_D_ROOT;
import static org.joinleaf.api.Winsock2.WSA_FLAG_OVERLAPPED;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Map;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.spi.config.BadConfigurationException;
import org.joinleaf.spi.config.ConfigValues;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.WsaException;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** Socket creation rules (§1.2, decisions 3) and the provider's lifecycle and configuration. */
public class MulticastProviderTest {
    private static final int LEAF = WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF;

    private MulticastProvider provider;
    private WSAPROTOCOL_INFO ipv4;

    @Before
    public void start() throws Exception {
        provider = Loopback.provider();
        ipv4 = provider.protocols().get(0);
    }

    @After
    public void stop() {
        provider.deactivate();
    }

    // Scenario 5 (§1.2): C_LEAF|D_LEAF succeeds and the socket can join.
    @Test
    public void scenario5_leafLeafSocketIsMultipoint() throws Exception {
        ProviderSocket s = provider.socket(ipv4, LEAF | WSA_FLAG_OVERLAPPED, new RecordingUpcalls());
        assertTrue(s instanceof MultipointSocket);
        s.close();
    }

    // A plain socket is refused as a kind this provider does not make, so the runtime hands it to the next UDP entry.
    @Test
    public void plainSocketsAreRefusedAsAnotherKind() {
        for (int flags : new int[] {0, WSA_FLAG_OVERLAPPED}) {
            try {
                provider.socket(ipv4, flags, new RecordingUpcalls()).close();
                fail("dwFlags 0x" + Integer.toHexString(flags) + " must be refused");
            } catch (WsaException e) {
                assertEquals(WSAESOCKTNOSUPPORT, e.code());
            }
        }
        assertTrue(provider.openSockets().isEmpty());
    }

    // Decisions 3, scenarios 6, 7, 9, 11 (R3): a multipoint socket other than C_LEAF|D_LEAF is WSAEINVAL.
    @Test
    public void scenarios6_7_9_11_otherPlaneFlagsAreRefusedWithWsaeinval() {
        int[] refused = {WSA_FLAG_MULTIPOINT_C_LEAF, WSA_FLAG_MULTIPOINT_D_LEAF,
                WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_LEAF,
                WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_ROOT,
                WSA_FLAG_MULTIPOINT_C_ROOT | LEAF};
        for (int flags : refused) {
            try {
                provider.socket(ipv4, flags, new RecordingUpcalls()).close();
                fail("dwFlags 0x" + Integer.toHexString(flags) + " must be refused");
            } catch (WsaException e) {
                assertEquals("dwFlags 0x" + Integer.toHexString(flags), WSAEINVAL, e.code());
                assertTrue(e.getMessage(), e.getMessage().startsWith("this provider only creates C_LEAF|D_LEAF sockets"));
            }
        }
        assertTrue("no socket may be left open by a refused call", provider.openSockets().isEmpty());
    }

    // Reliability: deactivate closes every channel (leaving its group) and stops the I/O thread within its bound.
    @Test
    public void deactivateClosesChannelsAndStopsTheThread() throws Exception {
        Loopback.assumeIpv4();
        LeafSocket joined = Loopback.socket(provider, AF_INET, new RecordingUpcalls());
        Loopback.join(joined, Loopback.group4());
        LeafSocket idle = Loopback.socket(provider, AF_INET, new RecordingUpcalls());
        assertTrue(provider.isLoopAlive());

        provider.deactivate();

        assertFalse("an I/O thread still running after deactivate", provider.isAnyLoopAlive());
        assertFalse(joined.isChannelOpen());
        assertFalse(idle.isChannelOpen());
        assertFalse("membership must be dropped", joined.isSubscribed());
        assertTrue(provider.openSockets().isEmpty());
        try {
            provider.socket(ipv4, LEAF, new RecordingUpcalls());
            fail("a stopped provider must refuse new sockets");
        } catch (WsaException e) {
            assertEquals(WSAENETDOWN, e.code());
        }
        provider = Loopback.provider(); // for @After
    }

    @Test
    public void closeForgetsTheSocket() throws Exception {
        LeafSocket s = Loopback.socket(provider, AF_INET, new RecordingUpcalls());
        assertEquals(1, provider.openSockets().size());
        s.close();
        s.close(); // idempotent
        assertTrue(provider.openSockets().isEmpty());
        assertFalse(s.isChannelOpen());
    }

    @Test
    public void defaultConfigurationIsLoopbackScope1Ranking150() throws Exception {
        MulticastConfig defaults = ConfigValues.of(MulticastConfig.class, Map.of());
        assertEquals("lo", defaults.interfaceName());
        assertEquals("", defaults.ipv4Interface());
        assertEquals(1, defaults.defaultScope());
        assertEquals(65467, defaults.maxDatagramSize());
        assertEquals(150, defaults.service_ranking());
        MulticastProvider plain = new MulticastProvider();
        plain.activate(defaults);
        try {
            LeafSocket s = Loopback.socket(plain, AF_INET, new RecordingUpcalls());
            assertEquals("SIO_MULTICAST_SCOPE default 1 (§2.6)", 1, s.multicastTtl());
        } finally {
            plain.deactivate();
        }
    }

    @Test
    public void interfaceCanBeNamedByIpv4Address() throws Exception {
        MulticastProvider byAddress = Loopback.provider(Map.of("interfaceName", "no-such-if", "ipv4Interface", "127.0.0.1"));
        byAddress.deactivate();
    }

    /** Issue 12 item 4: a bad value fails activation naming PID, key, value and the allowed range or rule. */
    @Test
    public void badConfigurationFailsActivationWithAnActionableMessage() {
        List<Map<String, Object>> bad = List.of(Map.of("interfaceName", "no-such-if0"),
                Map.of("ipv4Interface", "not-an-address"), Map.of("ipv4Interface", "300.1.1.1"),
                Map.of("ipv4Interface", "203.0.113.77"), Map.of("defaultScope", 256),
                Map.of("receiveQueueDatagrams", 0), Map.of("maxDatagramSize", 65468),
                Map.of("receiveQueueBytes", 4 << 20, "totalReceiveQueueBytes", 1 << 20));
        for (Map<String, Object> values : bad) {
            MulticastProvider p = new MulticastProvider();
            try {
                p.activate(ConfigValues.of(MulticastConfig.class, values));
                p.deactivate();
                fail("activation must fail for " + values);
            } catch (BadConfigurationException e) {
                String key = e.key();
                assertTrue(values + ": " + e.getMessage(), values.containsKey(key));
                assertTrue(values + ": " + e.getMessage(), e.getMessage().startsWith("configuration "
                        + MulticastConfig.PID + ": " + key + "=" + values.get(key) + " refused ("));
            } catch (Exception e) {
                throw new AssertionError(values + " failed with " + e, e);
            }
        }
    }

    @Test(expected = IllegalArgumentException.class)
    public void unknownConfigurationKeyIsRejected() {
        ConfigValues.of(MulticastConfig.class, Map.of("interface", "lo"));
    }
}
