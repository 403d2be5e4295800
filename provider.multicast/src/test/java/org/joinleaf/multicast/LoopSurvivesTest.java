package org.joinleaf.multicast;

import static org.joinleaf.api.Winsock2.AF_INET;
import static org.joinleaf.api.Winsock2.FD_CLOSE_BIT;
import static org.joinleaf.api.Winsock2.FD_READ_BIT;
import static org.joinleaf.api.Winsock2.JL_BOTH;
import static org.joinleaf.api.Winsock2.WSAENETDOWN;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_C_LEAF;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_D_LEAF;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Hashtable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.spi.WsaException;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.ComponentContext;

/**
 * Issue 11 deliverable 5, envelope E12 (the I/O thread dies with OutOfMemoryError and stays dead): a throwable while a
 * datagram is handled costs that datagram (dropped, counted) and the loop goes on; a selector that cannot select
 * any more closes every socket with {@code FD_CLOSE}/{@code WSAENETDOWN} and the provider leaves the catalog.
 */
public class LoopSurvivesTest {
    private MulticastProvider provider;
    private SOCKADDR group;

    @Before
    public void start() throws Exception {
        Loopback.assumeIpv4();
        group = Loopback.group4();
    }

    @After
    public void stop() {
        if (provider != null) {
            provider.deactivate();
        }
    }

    @Test
    public void issue11_outOfMemoryWhileHandlingADatagramDropsItAndTheLoopKeepsDelivering() throws Exception {
        provider = Loopback.provider();
        RecordingUpcalls events = new RecordingUpcalls();
        LeafSocket member = Loopback.socket(provider, AF_INET, events);
        Loopback.join(member, group, JL_BOTH);
        AtomicInteger toFail = new AtomicInteger(3);
        provider.loop().injectFaults(new SelectorLoop.Faults() {
            @Override
            public void afterReceive() {
                if (toFail.getAndDecrement() > 0) {
                    throw new OutOfMemoryError("injected: no heap for the copy");
                }
            }
        });

        try (DatagramChannel sender = ReceiveBudgetTest.loopbackSender()) {
            for (int i = 0; i < 4; i++) {
                sender.send(ByteBuffer.wrap(new byte[] {(byte) i}), group.toInetSocketAddress());
            }
        }

        assertTrue("the datagram after the failures is delivered", events.await(FD_READ_BIT, Loopback.WAIT_MILLIS));
        ByteBuffer buf = ByteBuffer.allocate(4);
        assertEquals(1, member.receive(buf, null, false));
        assertEquals("the fourth datagram; the three that failed are gone", 3, buf.get(0));
        assertEquals(3, provider.droppedDatagrams(DropReason.FAILURE));
        assertEquals(3, member.droppedDatagrams());
        assertEquals(3, provider.loop().failures());
        assertTrue("the I/O thread is alive", provider.isLoopAlive());
    }

    @Test
    public void issue11_aSelectorThatCannotGoOnClosesEverySocketWithWsaenetdownAndLeavesTheCatalog()
            throws Exception {
        CompletableFuture<String> disabled = new CompletableFuture<>();
        provider = new MulticastProvider();
        provider.start(componentContext("org.joinleaf.multicast.MulticastProvider", disabled), Loopback.config(
                java.util.Map.of()));
        RecordingUpcalls events = new RecordingUpcalls();
        LeafSocket member = Loopback.socket(provider, AF_INET, events);
        Loopback.join(member, group, JL_BOTH);
        AtomicBoolean broken = new AtomicBoolean();
        provider.loop().injectFaults(new SelectorLoop.Faults() {
            @Override
            public void beforeSelect() throws IOException {
                if (broken.get()) {
                    throw new IOException("injected: epoll is gone");
                }
            }
        });

        broken.set(true);
        provider.loop().wakeup();

        assertTrue("FD_CLOSE posted", events.await(FD_CLOSE_BIT, Loopback.WAIT_MILLIS));
        assertEquals(WSAENETDOWN, events.lastError(FD_CLOSE_BIT));
        assertFalse(member.isChannelOpen());
        assertEquals("the component disabled itself, which unregisters it from the catalog",
                "org.joinleaf.multicast.MulticastProvider", disabled.get(Loopback.WAIT_MILLIS, TimeUnit.MILLISECONDS));
        try {
            provider.socket(provider.protocols().get(0), WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF,
                    new RecordingUpcalls());
            fail("a provider that gave up must refuse new sockets");
        } catch (WsaException e) {
            assertEquals(WSAENETDOWN, e.code());
        }
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
