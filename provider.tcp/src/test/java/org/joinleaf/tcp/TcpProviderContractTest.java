package org.joinleaf.tcp;

import org.joinleaf.spi.TransportProvider;
import org.joinleaf.spi.testkit.ProviderContract;
import org.joinleaf.tcp.session.TcpSettings;

/** The SPI contract every provider keeps (issue 12, provider test kit), run on the TCP multipoint provider. */
public class TcpProviderContractTest extends ProviderContract {
    @Override
    protected TransportProvider start() {
        TcpProvider provider = new TcpProvider();
        provider.start(TcpSettings.builder().build());
        return provider;
    }

    @Override
    protected void stop(TransportProvider provider) {
        ((TcpProvider) provider).stop();
    }
}
