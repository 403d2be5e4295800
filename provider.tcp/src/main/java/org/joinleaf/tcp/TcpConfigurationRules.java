package org.joinleaf.tcp;

import java.util.Map;
import org.joinleaf.spi.config.ConfigValues;
import org.joinleaf.spi.config.ConfigurationRules;
import org.joinleaf.tcp.session.TcpSettings;
import org.joinleaf.tcp.tls.TlsContexts;
import org.osgi.service.component.annotations.Component;

/**
 * {@link TcpSettings#from}'s rules and the TLS stores' usability (files, passwords), for the gateway's configuration
 * guard (issue 15 item 3).
 */
@Component(property = ConfigurationRules.PID + "=" + TcpProvider.PID)
public final class TcpConfigurationRules implements ConfigurationRules {
    @Override
    public void check(Map<String, Object> properties) {
        TlsContexts.from(TcpSettings.from(ConfigValues.fromProperties(TcpProviderConfig.class, properties)).tls());
    }
}
