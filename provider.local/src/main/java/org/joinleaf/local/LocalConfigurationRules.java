package org.joinleaf.local;

import java.util.Map;
import org.joinleaf.spi.config.ConfigValues;
import org.joinleaf.spi.config.ConfigurationRules;
import org.osgi.service.component.annotations.Component;

/** {@link LocalSettings#from}'s rules, for the gateway's configuration guard (issue 15 item 3). */
@Component(property = ConfigurationRules.PID + "=" + LocalConfig.PID)
public final class LocalConfigurationRules implements ConfigurationRules {
    @Override
    public void check(Map<String, Object> properties) {
        LocalSettings.from(ConfigValues.fromProperties(LocalConfig.class, properties));
    }
}
