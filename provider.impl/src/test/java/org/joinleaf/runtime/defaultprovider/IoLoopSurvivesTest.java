package org.joinleaf.runtime.defaultprovider;

import static org.joinleaf.api.Winsock2.*;
import static org.joinleaf.spi.testkit.WsaAssert.expectWsa;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Hashtable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.joinleaf.spi.DatagramBudget;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.junit.After;
import org.junit.Test;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.ComponentContext;

/**
 * Issue 11 deliverable 5, envelope E12 (an OutOfMemoryError in the default provider's loop): the thread used to die (an
 * Error passed every catch) and with it every socket. A throwable costs the datagram or the connection concerned,
 * counted, and the loop keeps serving; a selector that cannot select closes every socket with {@code FD_CLOSE} /
 * {@code WSAENETDOWN} and the provider leaves the catalog.
 */
public class IoLoopSurvivesTest {
    private final ProviderFixture fixture = new ProviderFixture();

    @After
    public void stop() {
        fixture.after();
    }

    private IoLoop loop() {
        return fixture.provider.resources().loop();
    }

    @Test
    public void issue11_outOfMemoryWhileReceivingADatagramDropsItAndTheLoopKeepsDelivering() throws Exception {
        fixture.before();
        RecordingUpcalls events = new RecordingUpcalls();
        ProviderSocket udp = fixture.socket(AF_INET, SOCK_DGRAM, events);
        udp.bind(ProviderFixture.loopback(0));
        AtomicInteger toFail = new AtomicInteger(2);
        loop().injectFaults(new IoLoop.Faults() {
            @Override
            public void duringRead() {
                if (toFail.getAndDecrement() > 0) {
                    throw new OutOfMemoryError("injected: no heap for the copy");
                }
            }
        });

        try (DatagramChannel sender = DatagramChannel.open()) {
            for (int i = 0; i < 3; i++) {
                sender.send(ByteBuffer.wrap(new byte[] {(byte) i}), new InetSocketAddress("127.0.0.1",
                        udp.localAddress().port));
            }
        }

        assertEquals(0, events.await(FD_READ_BIT));
        ByteBuffer buf = ByteBuffer.allocate(4);
        assertEquals(1, udp.receive(buf, null, false));
        assertEquals("the third datagram; the two that failed are gone", 2, buf.get(0));
        assertEquals(2, fixture.provider.resources().budget().dropped(DropReason.FAILURE));
        assertEquals(2, loop().failures());
        assertTrue(loop().isAlive());
    }

    @Test
    public void issue11_outOfMemoryWhileReadingAConnectionAbortsItOnlyAndTheLoopGoesOn() throws Exception {
        fixture.before();
        RecordingUpcalls listenerEvents = new RecordingUpcalls();
        ProviderSocket listener = fixture.listener(listenerEvents);
        ProviderSocket victimClient = fixture.connectTo(listener, listenerEvents, new RecordingUpcalls());
        RecordingUpcalls serverEvents = new RecordingUpcalls();
        ProviderFixture.head(listener).accept(null, serverEvents);
        ProviderSocket client = fixture.connectTo(listener, listenerEvents, new RecordingUpcalls());
        RecordingUpcalls healthyEvents = new RecordingUpcalls();
        ProviderSocket healthy = ProviderFixture.head(listener).accept(null, healthyEvents);
        AtomicInteger toFail = new AtomicInteger(1);
        loop().injectFaults(new IoLoop.Faults() {
            @Override
            public void duringRead() {
                if (toFail.getAndDecrement() > 0) {
                    throw new OutOfMemoryError("injected: no heap for the read");
                }
            }
        });

        victimClient.send(ByteBuffer.wrap(new byte[] {1}), null);
        assertEquals("the connection that failed ends abortively", WSAECONNABORTED,
                serverEvents.await(FD_CLOSE_BIT));

        client.send(ByteBuffer.wrap(new byte[] {7}), null);
        assertEquals(0, healthyEvents.await(FD_READ_BIT));
        assertEquals("another connection is still served", 1, healthy.receive(ByteBuffer.allocate(4), null, false));
        assertTrue(loop().isAlive());
    }

    @Test
    public void issue11_aSelectorThatCannotGoOnClosesEverySocketWithWsaenetdownAndLeavesTheCatalog()
            throws Exception {
        CompletableFuture<String> disabled = new CompletableFuture<>();
        fixture.provider.start(componentContext("org.joinleaf.runtime.defaultprovider.DefaultProvider", disabled),
                ProviderFixture.config(65536, 65536, 64, 1024, 0));
        RecordingUpcalls events = new RecordingUpcalls();
        ProviderSocket udp = fixture.socket(AF_INET, SOCK_DGRAM, events);

        loop().injectFaults(new IoLoop.Faults() {
            @Override
            public void beforeSelect() throws IOException {
                throw new IOException("injected: epoll is gone");
            }
        });

        assertEquals(WSAENETDOWN, events.await(FD_CLOSE_BIT));
        assertEquals(null, udp.localAddress());
        assertEquals("the component disabled itself, which unregisters it from the catalog",
                "org.joinleaf.runtime.defaultprovider.DefaultProvider", disabled.get(5, TimeUnit.SECONDS));
        expectWsa(WSAENETDOWN, () -> fixture.socket(AF_INET, SOCK_DGRAM, new RecordingUpcalls()));
        fixture.provider.deactivate(); // what SCR does after the disable: returns at once, the thread is gone
    }

    /** A DS context whose disableComponent records the name it was asked to disable. */
    private static ComponentContext componentContext(String name, CompletableFuture<String> disabled) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(ComponentConstants.COMPONENT_NAME, name);
        return (ComponentContext) Proxy.newProxyInstance(ComponentContext.class.getClassLoader(),
                new Class<?>[] {ComponentContext.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getProperties":
                            return properties;
                        case "disableComponent":
                            disabled.complete((String) args[0]);
                            return null;
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }
}
