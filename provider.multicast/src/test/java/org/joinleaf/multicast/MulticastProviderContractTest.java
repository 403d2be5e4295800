package org.joinleaf.multicast;

import org.joinleaf.spi.TransportProvider;
import org.joinleaf.spi.testkit.ProviderContract;

/** The SPI contract every provider keeps (issue 12, provider test kit), run on the multicast provider on lo. */
public class MulticastProviderContractTest extends ProviderContract {
    @Override
    protected TransportProvider start() throws Exception {
        return Loopback.provider();
    }

    @Override
    protected void stop(TransportProvider provider) {
        ((MulticastProvider) provider).deactivate();
    }
}
