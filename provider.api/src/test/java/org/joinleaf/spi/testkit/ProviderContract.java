package org.joinleaf.spi.testkit;

import static org.joinleaf.spi.testkit.WsaAssert.expectWsa;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.TransportProvider;
import org.joinleaf.spi.WsaException;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * What every provider owes the runtime through the SPI (docs/contract.md §6, {@link TransportProvider},
 * {@link ProviderSocket}), run against the provider as a plain object, beside each module's Felix suites. One
 * subclass per provider module says how to start and stop it; the rules are written once, here.
 */
public abstract class ProviderContract {
    private TransportProvider provider;
    private boolean stopped;
    private final List<ProviderSocket> sockets = new ArrayList<>();

    /** A started provider with its default settings, as DS would activate it. */
    protected abstract TransportProvider start() throws Exception;

    /** Stops {@code provider} as DS would deactivate it. */
    protected abstract void stop(TransportProvider provider) throws Exception;

    /** The {@code dwFlags} a socket on {@code entry} is created with: a c_leaf/d_leaf on a multipoint entry. */
    protected int flagsFor(WSAPROTOCOL_INFO entry) {
        return entry.has(Winsock2.XP1_SUPPORT_MULTIPOINT)
                ? Winsock2.WSA_FLAG_MULTIPOINT_C_LEAF | Winsock2.WSA_FLAG_MULTIPOINT_D_LEAF : 0;
    }

    /** A loopback address with an ephemeral port of {@code entry}'s family, for bind. */
    protected SOCKADDR bindAddress(WSAPROTOCOL_INFO entry) {
        return SOCKADDR.of(entry.iAddressFamily == Winsock2.AF_INET6 ? "::1" : "127.0.0.1", 0);
    }

    @Before
    public final void startProvider() throws Exception {
        provider = start();
    }

    @After
    public final void stopProvider() throws Exception {
        for (ProviderSocket s : sockets) {
            s.close();
        }
        if (!stopped) {
            stop(provider);
        }
    }

    /** §6: the catalog entries of one provider share its ProviderId and do not change while it is registered. */
    @Test
    public void catalogIsStableAndSharesOneProviderId() {
        List<WSAPROTOCOL_INFO> entries = provider.protocols();
        assertFalse("a provider serves at least one catalog entry", entries.isEmpty());
        UUID id = entries.get(0).ProviderId;
        assertNotNull("ProviderId of " + entries.get(0), id);
        for (WSAPROTOCOL_INFO e : entries) {
            assertEquals("ProviderId of " + e, id, e.ProviderId);
        }
        assertEquals("entries while registered", entries.toString(), provider.protocols().toString());
    }

    /** {@code WSPSocket} on every catalog entry gives a socket, unbound until bind. */
    @Test
    public void everyCatalogEntryMakesASocket() throws Exception {
        for (WSAPROTOCOL_INFO entry : provider.protocols()) {
            ProviderSocket s = socket(entry);
            assertNotNull("socket on " + entry, s);
        }
    }

    /** {@code bind}: a second bind of the same socket is {@code WSAEINVAL} (already bound), on every entry. */
    @Test
    public void bindingTwiceIsWsaeinval() throws Exception {
        for (WSAPROTOCOL_INFO entry : provider.protocols()) {
            ProviderSocket s = socket(entry);
            s.bind(bindAddress(entry));
            assertNotNull("local address after bind on " + entry, s.localAddress());
            expectWsa(Winsock2.WSAEINVAL, "second bind on " + entry, () -> s.bind(bindAddress(entry)));
        }
    }

    /** Decisions 12: a stopped provider refuses new sockets with {@code WSAENETDOWN}. */
    @Test
    public void stoppedProviderRefusesSocketsWithWsaenetdown() throws Exception {
        List<WSAPROTOCOL_INFO> entries = provider.protocols();
        stop(provider);
        stopped = true;
        for (WSAPROTOCOL_INFO entry : entries) {
            expectWsa(Winsock2.WSAENETDOWN, "socket on " + entry + " after stop",
                    () -> provider.socket(new WSAPROTOCOL_INFO(entry), flagsFor(entry), new RecordingUpcalls()));
        }
    }

    /** {@link TransportProvider}: close is still called for each socket while the provider goes; it never throws. */
    @Test
    public void closeAfterStopNeverThrows() throws Exception {
        List<ProviderSocket> made = new ArrayList<>();
        for (WSAPROTOCOL_INFO entry : provider.protocols()) {
            made.add(provider.socket(new WSAPROTOCOL_INFO(entry), flagsFor(entry), new RecordingUpcalls()));
        }
        stop(provider);
        stopped = true;
        for (ProviderSocket s : made) {
            s.close();
        }
    }

    private ProviderSocket socket(WSAPROTOCOL_INFO entry) throws WsaException {
        ProviderSocket s = provider.socket(new WSAPROTOCOL_INFO(entry), flagsFor(entry), new RecordingUpcalls());
        sockets.add(s);
        return s;
    }
}
