package org.joinleaf.runtime.defaultprovider;

import org.joinleaf.spi.TransportProvider;
import org.joinleaf.spi.testkit.ProviderContract;

/** The SPI contract every provider keeps (issue 12, provider test kit), run on the default provider. */
public class DefaultProviderContractTest extends ProviderContract {
    @Override
    protected TransportProvider start() {
        DefaultProvider provider = new DefaultProvider();
        provider.activate(ProviderFixture.config(65536, 65536, 64, 1024, 0));
        return provider;
    }

    @Override
    protected void stop(TransportProvider provider) throws InterruptedException {
        ((DefaultProvider) provider).deactivate();
    }
}
