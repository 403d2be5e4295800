package org.joinleaf.local;

import org.joinleaf.spi.TransportProvider;
import org.joinleaf.spi.config.ConfigValues;
import org.joinleaf.spi.testkit.ProviderContract;

/** The SPI contract every provider keeps (issue 12, provider test kit), run on the in-process provider. */
public class LocalProviderContractTest extends ProviderContract {
    @Override
    protected TransportProvider start() {
        LocalProvider provider = new LocalProvider();
        provider.activate(ConfigValues.defaults(LocalConfig.class));
        return provider;
    }

    @Override
    protected void stop(TransportProvider provider) {
        ((LocalProvider) provider).deactivate();
    }
}
