package org.joinleaf.tcp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.config.BadConfigurationException;
import org.joinleaf.spi.config.ConfigValues;
import org.joinleaf.spi.config.LaterChange;
import org.joinleaf.spi.testkit.LogLines;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.joinleaf.tcp.session.TcpSettings;
import org.junit.Test;

/**
 * Issue 12 item 4 and issue 15 item 3 for provider.tcp: one configuration path (the Metatype defaults, checked by
 * {@link TcpSettings#from}, the same in DS and here); a bad value fails activation naming PID, key, value and range
 * or rule; a later bad change keeps the settings in force with one line; a change of live settings applies through
 * {@code @Modified} while sessions stay open.
 */
public class TcpConfigChangeTest extends ProviderFixture {

    private static TcpProviderConfig config(Map<String, ?> overrides) {
        return ConfigValues.of(TcpProviderConfig.class, overrides);
    }

    @Test
    public void theBuilderAndDsBuildTheSameSettingsFromTheMetatypeDefaults() {
        assertEquals(TcpSettings.from(ConfigValues.defaults(TcpProviderConfig.class)), TcpSettings.builder().build());
        assertEquals(TcpSettings.from(config(Map.of("backlog", 7))), withBacklog7());
    }

    private static TcpSettings withBacklog7() {
        TcpSettings.Builder b = TcpSettings.builder();
        b.backlog = 7;
        return b.build();
    }

    @Test // a typo in a .cfg file: heartbeatIntervalMillis=20000 with the default 15000 timeout (issue 15)
    public void aCrossFieldRuleFailsActivationNamingPidKeyValueAndRule() {
        BadConfigurationException e = assertThrows(BadConfigurationException.class,
                () -> new TcpProvider().activate(config(Map.of("heartbeatIntervalMillis", 20000)), null));
        assertEquals("configuration org.joinleaf.tcp: heartbeatIntervalMillis=20000 refused (must be below "
                + "heartbeatTimeoutMillis (15000))", e.getMessage());
        assertEquals(0, e.getStackTrace().length);
        e = assertThrows(BadConfigurationException.class, () -> TcpSettings.from(config(Map.of(
                "maxPendingHandshakesPerSource", 2000))));
        assertEquals("maxPendingHandshakesPerSource", e.key());
    }

    @Test
    public void aValueOutOfItsMetatypeRangeFailsActivationNamingTheRange() {
        BadConfigurationException e = assertThrows(BadConfigurationException.class,
                () -> new TcpProvider().activate(config(Map.of("eventLoopThreads", 0)), null));
        assertEquals("configuration org.joinleaf.tcp: eventLoopThreads=0 refused (allowed range 1..)", e.getMessage());
        e = assertThrows(BadConfigurationException.class, () -> TcpSettings.from(config(Map.of("maxConnectData",
                70000))));
        assertEquals("configuration org.joinleaf.tcp: maxConnectData=70000 refused (allowed range 0..65535)",
                e.getMessage());
    }

    @Test
    public void aLaterBadChangeKeepsTheSettingsInForceWithOneLine() throws Exception {
        TcpSettings before = provider.transport().settings();
        List<String> lines = LogLines.of(TcpProvider.class,
                () -> provider.modified(null, config(Map.of("maxJoinRatePerSource", 5, "slowLeafTimeoutMillis", 0))));
        assertSame(before, provider.transport().settings());
        assertEquals(List.of("configuration org.joinleaf.tcp: slowLeafTimeoutMillis=0 refused (allowed range 1..)"
                + LaterChange.KEPT), lines);
    }

    /** A cap lowered live: the next JOIN over it is refused, the joined leaf's session stays open and carries data. */
    @Test
    public void aLiveChangeAppliesToNewJoinsWhileTheSessionStaysOpen() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        Member a = join(root, rootUp, true, Winsock2.JL_BOTH, "a", "127.0.0.3");
        List<String> lines = LogLines.of(TcpProvider.class, () -> provider.modified(null,
                config(Map.of("maxLeavesPerRoot", 1, "maxJoinRatePerSource", 50))));
        assertEquals(List.of("configuration org.joinleaf.tcp applied live; sessions stay open"), lines);
        assertEquals(1, provider.transport().settings().maxLeavesPerRoot());
        assertEquals(50, provider.transport().settings().maxJoinRatePerSource());
        try (RawLeaf over = new RawLeaf(root.localAddress(), 0, "127.0.0.5")) {
            over.join(Winsock2.JL_BOTH, new byte[0]);
            assertEquals(Winsock2.WSAECONNREFUSED, over.expectReject());
        }
        send(root, "after the change");
        assertEquals("after the change", receive(a.leaf, a.leafUp, null));
        assertEquals("the leaf saw no FD_CLOSE", 0, a.leafUp.count(Winsock2.FD_CLOSE_BIT));
    }

    @Test
    public void onlyTheListedSettingsApplyLive() {
        TcpSettings current = TcpSettings.defaults();
        assertTrue(current.changesOnlyLive(TcpSettings.from(config(Map.of("joinTimeoutMillis", 100,
                "maxLeavesPerRoot", 3, "keyStore", "other.p12")))));
        assertFalse(current.changesOnlyLive(TcpSettings.from(config(Map.of("eventLoopThreads", 3)))));
        assertFalse(current.changesOnlyLive(TcpSettings.from(config(Map.of("tlsMode", "TLS")))));
    }
}
