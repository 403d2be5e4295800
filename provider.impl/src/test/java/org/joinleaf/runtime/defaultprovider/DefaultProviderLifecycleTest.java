package org.joinleaf.runtime.defaultprovider;

import static org.joinleaf.api.Winsock2.*;
import static org.joinleaf.spi.testkit.WsaAssert.expectWsa;
import static org.junit.Assert.assertEquals;

import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.junit.Test;

/** Activation starts one I/O thread; deactivation closes every socket and stops it (decisions 12, reliability 6). */
public class DefaultProviderLifecycleTest {

    private static long ioThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && IoLoop.THREAD_NAME.equals(t.getName())).count();
    }

    @Test
    public void deactivateStopsTheIoThreadAndClosesSockets() throws Exception {
        long before = ioThreads();
        ProviderFixture fixture = new ProviderFixture();
        fixture.before();
        assertEquals("one I/O thread per activation", before + 1, ioThreads());

        RecordingUpcalls events = new RecordingUpcalls();
        ProviderSocket listener = fixture.listener(events);
        ProviderSocket client = fixture.connectTo(listener, events, new RecordingUpcalls());
        ProviderFixture.head(listener).accept(null, new RecordingUpcalls());
        ProviderSocket udp = fixture.socket(AF_INET, SOCK_DGRAM, events);

        fixture.deactivate(); // joins the thread with a bounded wait
        assertEquals(before, ioThreads());
        assertEquals(null, listener.localAddress());
        assertEquals(null, udp.localAddress());
        expectWsa(WSAENETDOWN, () -> fixture.socket(AF_INET, SOCK_STREAM, events));
        client.close(); // a second close is harmless
    }

    @Test
    public void socketLimitIsMFile() throws Exception { // bounded resources: maxSockets
        ProviderFixture fixture = new ProviderFixture(1024, 1024, 4, 2);
        fixture.before();
        try {
            RecordingUpcalls events = new RecordingUpcalls();
            ProviderSocket first = fixture.socket(AF_INET, SOCK_DGRAM, events);
            fixture.socket(AF_INET, SOCK_STREAM, events);
            expectWsa(WSAEMFILE, () -> fixture.socket(AF_INET, SOCK_DGRAM, events));
            first.close();
            fixture.socket(AF_INET, SOCK_DGRAM, events).close();
        } finally {
            fixture.after();
        }
    }

    @Test
    public void acceptBeyondTheSocketLimitKeepsTheRequestQueued() throws Exception { // WSAAccept: WSAEMFILE
        ProviderFixture fixture = new ProviderFixture(1024, 1024, 4, 2);
        fixture.before();
        try {
            RecordingUpcalls events = new RecordingUpcalls();
            ProviderSocket listener = fixture.listener(events);
            ProviderSocket client = fixture.connectTo(listener, events, new RecordingUpcalls());
            org.joinleaf.spi.ConnectionRequest request = ProviderFixture.head(listener);
            expectWsa(WSAEMFILE, () -> request.accept(null, new RecordingUpcalls()));
            assertEquals(request, listener.pendingRequest());
            client.close();
            request.accept(null, new RecordingUpcalls()).close();
        } finally {
            fixture.after();
        }
    }
}
