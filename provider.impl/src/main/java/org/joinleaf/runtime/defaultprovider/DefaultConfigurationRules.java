package org.joinleaf.runtime.defaultprovider;

import java.util.Map;
import org.joinleaf.spi.config.ConfigValues;
import org.joinleaf.spi.config.ConfigurationRules;
import org.osgi.service.component.annotations.Component;

/** {@link DefaultSettings#of}'s rules, for the gateway's configuration guard (issue 15 item 3). */
@Component(property = ConfigurationRules.PID + "=" + DefaultProvider.PID)
public final class DefaultConfigurationRules implements ConfigurationRules {
    @Override
    public void check(Map<String, Object> properties) {
        DefaultSettings.of(ConfigValues.fromProperties(DefaultProviderConfig.class, properties));
    }
}
