package org.joinleaf.local;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;

import java.util.List;
import java.util.Map;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.local.Harness.Sock;
import org.joinleaf.spi.config.BadConfigurationException;
import org.joinleaf.spi.config.ConfigValues;
import org.joinleaf.spi.config.LaterChange;
import org.joinleaf.spi.testkit.LogLines;
import org.junit.After;
import org.junit.Test;

/**
 * Issue 12 item 4 and issue 15 item 3 for provider.local: a bad value fails activation naming PID, key, value and
 * range; a later bad change keeps the settings in force with one line; a live change keeps sessions open; the old
 * slow-leaf value BACKPRESSURE is read as BLOCK_SENDER with a deprecation line (issue 12 item 7).
 */
public class LocalConfigChangeTest {
    private final Harness h = new Harness();

    @After
    public void close() {
        h.close();
    }

    @Test
    public void aValueOutOfItsMetatypeRangeFailsActivationNamingPidKeyValueAndRange() {
        BadConfigurationException e = assertThrows(BadConfigurationException.class, () -> new LocalProvider()
                .activate(ConfigValues.of(LocalConfig.class, Map.of("joinTimeoutMillis", 0))));
        assertEquals("configuration org.joinleaf.local: joinTimeoutMillis=0 refused (allowed range 1..)",
                e.getMessage());
    }

    @Test
    public void aCrossFieldRuleFailsActivation() {
        BadConfigurationException e = assertThrows(BadConfigurationException.class, () -> new LocalProvider()
                .activate(ConfigValues.of(LocalConfig.class, Map.of("receiveQueueBytes", 2 << 20,
                        "totalReceiveQueueBytes", 1 << 20))));
        assertEquals("receiveQueueBytes", e.key());
    }

    @Test
    public void aLaterBadChangeKeepsTheSettingsInForceWithOneLine() throws Exception {
        LocalSettings before = h.network().settings;
        List<String> lines = LogLines.of(LocalProvider.class, () -> h.provider.modified(null,
                ConfigValues.of(LocalConfig.class, Map.of("maxConnectData", -1))));
        assertSame(before, h.network().settings);
        assertEquals(List.of("configuration org.joinleaf.local: maxConnectData=-1 refused (allowed range 0..)"
                + LaterChange.KEPT), lines);
    }

    @Test
    public void aLiveChangeAppliesWithoutClosingTheSession() throws Exception {
        Sock root = h.listeningRoot(LocalCatalog.ROOTED, 7300);
        Sock leaf = h.leaf(LocalCatalog.ROOTED);
        h.admit(root, leaf, Winsock2.JL_BOTH);
        h.provider.modified(null, ConfigValues.of(LocalConfig.class, Map.of("maxConnectData", 8,
                "joinTimeoutMillis", 700, "slowLeafPolicy", "BLOCK_SENDER")));
        assertEquals(8, h.network().settings.maxConnectData());
        assertEquals(SlowLeafPolicy.BLOCK_SENDER, h.network().settings.slowLeafPolicy());
        Harness.send(leaf.socket(), "still joined");
        assertEquals("still joined", Harness.receive(root.socket(), new SOCKADDR()));
    }

    @Test
    public void theOldSlowLeafValueBackpressureIsReadAsBlockSenderWithADeprecationLine() throws Exception {
        LocalSettings[] settings = new LocalSettings[1];
        List<String> lines = LogLines.of(LocalSettings.class, () -> settings[0] = LocalSettings.from(
                ConfigValues.of(LocalConfig.class, Map.of("slowLeafPolicy", "BACKPRESSURE"))));
        assertEquals(SlowLeafPolicy.BLOCK_SENDER, settings[0].slowLeafPolicy());
        assertEquals(1, lines.size());
        assertEquals(true, lines.get(0).contains("slowLeafPolicy=BACKPRESSURE is deprecated"));
    }
}
