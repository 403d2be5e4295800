package org.joinleaf.runtime.defaultprovider;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;

import java.util.List;
import java.util.Map;
import org.joinleaf.spi.config.BadConfigurationException;
import org.joinleaf.spi.config.ConfigValues;
import org.joinleaf.spi.config.LaterChange;
import org.joinleaf.spi.testkit.LogLines;
import org.junit.Test;

/**
 * Issue 12 item 4, one policy for bad values: a value below its Metatype minimum fails activation naming PID, key,
 * value and range (the default provider used to clamp it silently to 1024).
 */
public class DefaultSettingsTest {
    @Test
    public void aValueBelowItsMetatypeMinimumFailsActivationInsteadOfBeingClamped() {
        DefaultProviderConfig config = ConfigValues.of(DefaultProviderConfig.class, Map.of("receiveBufferBytes", 512));
        BadConfigurationException e = assertThrows(BadConfigurationException.class,
                () -> new DefaultProvider().activate(config));
        assertEquals("configuration org.joinleaf.default: receiveBufferBytes=512 refused (allowed range 1024..)",
                e.getMessage());
    }

    /** Issue 15 item 3: a later change with a bad value leaves the provider running as it is, with one line. */
    @Test
    public void aLaterBadChangeKeepsTheProviderAsItIsWithOneLine() throws Exception {
        DefaultProvider provider = new DefaultProvider();
        provider.activate(ConfigValues.defaults(DefaultProviderConfig.class));
        try {
            SocketResources before = provider.resources();
            List<String> lines = LogLines.of(DefaultProvider.class, () -> provider.modified(null, ConfigValues.of(
                    DefaultProviderConfig.class, Map.of("receiveBufferBytes", 8192, "totalReceiveBytes", 4096))));
            assertEquals(List.of("configuration org.joinleaf.default: receiveBufferBytes=8192 refused (must not "
                    + "exceed the 4096 bytes all sockets may hold together (totalReceiveBytes))" + LaterChange.KEPT),
                    lines);
            assertSame(before, provider.resources());
        } finally {
            provider.deactivate();
        }
    }
}
