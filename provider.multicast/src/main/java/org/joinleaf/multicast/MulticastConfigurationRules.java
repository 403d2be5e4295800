package org.joinleaf.multicast;

import java.util.Map;
import org.joinleaf.spi.config.ConfigValues;
import org.joinleaf.spi.config.ConfigurationRules;
import org.osgi.service.component.annotations.Component;

/** {@link MulticastSettings#from}'s rules, for the gateway's configuration guard (issue 15 item 3). */
@Component(property = ConfigurationRules.PID + "=" + MulticastConfig.PID)
public final class MulticastConfigurationRules implements ConfigurationRules {
    @Override
    public void check(Map<String, Object> properties) {
        MulticastSettings.from(ConfigValues.fromProperties(MulticastConfig.class, properties));
    }
}
