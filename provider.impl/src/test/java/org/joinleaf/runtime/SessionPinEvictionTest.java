package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;

import java.util.List;
import org.joinleaf.api.SOCKET;
import org.joinleaf.runtime.dto.ProviderDTO;
import org.joinleaf.runtime.dto.SocketDTO;
import org.junit.Test;

/**
 * Issue 6 item 4: a c_root's session (the c_leafs it invited share its process and name it as their root), pinning
 * a provider for new sockets, and evictions (FD_CLOSE with WSAECONNABORTED from the provider) counted.
 */
public class SessionPinEvictionTest extends ScriptedRuntimeTest {

    // issue 6 item 4 (joinleaf:session), §1.5: the root side's c_leaf belongs to the root that invited it
    @Test
    public void invitedLeafNamesItsRoot_standaloneSocketsNone() {
        SOCKET r = rrRoot();
        select(r, FD_CONNECT);
        SOCKET cA = join(r, LEAF_A, null, null, JL_BOTH);
        rr.lastJoin().complete(null);
        SOCKET plain = npLeaf();
        assertEquals(r.value(), dto(cA).root);
        assertEquals(0, dto(r).root);
        assertEquals(0, dto(plain).root);
        assertEquals("c_leaf/d_root", dto(cA).kind);
    }

    // issue 6 item 4/6: the provider aborting a member is an eviction, counted once on the socket and its provider
    @Test
    public void fdCloseWithConnAbortedCountsOneEviction_otherClosesNone() {
        SOCKET r = rrRoot();
        select(r, FD_CONNECT | FD_CLOSE);
        SOCKET cA = join(r, LEAF_A, null, null, JL_BOTH);
        ScriptedProvider.Join a = rr.lastJoin();
        a.complete(null);
        SOCKET cB = join(r, LEAF_B, null, null, JL_BOTH);
        ScriptedProvider.Join b = rr.lastJoin();
        b.complete(null);

        a.returned.post(FD_CLOSE_BIT, WSAECONNABORTED);
        a.returned.post(FD_CLOSE_BIT, WSAECONNABORTED); // the condition reported again: still one eviction
        b.returned.post(FD_CLOSE_BIT, WSAECONNRESET);
        assertEquals(1, dto(cA).counters.evictions);
        assertEquals(0, dto(cB).counters.evictions);
        assertEquals(1, provider("P-rr").counters.evictions);
    }

    // issue 6 item 4 (joinleaf:pin): WSASocket tries the pinned provider's matching entries first; unpin restores
    // catalog order; open sockets keep their provider
    @Test
    public void pinnedProviderTakesNewSocketsFirst_unpinRestoresCatalogOrder() {
        ScriptedProvider np2 = ScriptedProvider.withJoin().entry("P-np2", AF_INET, NP_TYPE, IPPROTO_UDP, NP_FLAGS);
        catalog.add(np2, "P-np2", 0, 3L);
        SOCKET before = npLeaf();
        assertEquals("catalog order: P-np is older", "P-np", dto(before).provider);

        catalog.pin("P-np2");
        SOCKET pinned = npLeaf();
        assertEquals("P-np2", dto(pinned).provider);
        assertEquals("an open socket keeps its provider", "P-np", dto(before).provider);
        assertEquals("a pin only reorders matches: P-rr still serves its own type", "P-rr", dto(rrLeaf()).provider);

        catalog.pin("");
        assertEquals("P-np", dto(npLeaf()).provider);

        catalog.pin("not-registered");
        assertEquals("an unknown pin leaves catalog order", "P-np", dto(npLeaf()).provider);
    }

    private SocketDTO dto(SOCKET s) {
        List<SocketDTO> all = catalog.socketDTOs();
        return all.stream().filter(d -> d.handle == s.value()).findFirst()
                .orElseThrow(() -> new AssertionError(s + " not in " + all.size() + " sockets"));
    }

    private ProviderDTO provider(String name) {
        return catalog.providerDTOs().stream().filter(p -> p.name.equals(name)).findFirst().orElseThrow();
    }
}
