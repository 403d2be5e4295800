package org.joinleaf.tcp;

import static org.joinleaf.api.Winsock2.MAKEWORD;
import static org.junit.Assert.assertEquals;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.WSADATA;
import org.joinleaf.runtime.ProviderCatalog;
import org.joinleaf.runtime.WinsockProcess;
import org.joinleaf.tcp.session.TcpSettings;
import org.junit.After;
import org.junit.Before;

/**
 * The real runtime over this provider with its defaults, both as plain objects: what an application sees. Two
 * background threads for the blocking calls a test makes beside its own.
 */
abstract class RuntimeOverTcp {
    final TcpProvider provider = new TcpProvider();
    WinsockProcess ws;
    ExecutorService background;

    @Before
    public void startRuntime() {
        provider.start(TcpSettings.defaults());
        ProviderCatalog catalog = new ProviderCatalog();
        catalog.add(provider, "tcp", 200, 1L);
        ws = new WinsockProcess(catalog);
        assertEquals(0, ws.WSAStartup(MAKEWORD(2, 2), new WSADATA()));
        background = Executors.newFixedThreadPool(2);
    }

    @After
    public void stopRuntime() throws InterruptedException {
        background.shutdownNow();
        ws.terminate();
        background.awaitTermination(5, TimeUnit.SECONDS);
        provider.stop();
    }
}
