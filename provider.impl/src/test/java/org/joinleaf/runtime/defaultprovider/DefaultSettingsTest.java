package org.joinleaf.runtime.defaultprovider;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.Map;
import org.joinleaf.spi.config.BadConfigurationException;
import org.joinleaf.spi.config.ConfigValues;
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
}
