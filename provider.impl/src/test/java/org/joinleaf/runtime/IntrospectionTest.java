package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;

import java.util.List;
import org.joinleaf.api.SOCKET;
import org.joinleaf.runtime.dto.ProviderDTO;
import org.joinleaf.runtime.dto.SocketDTO;
import org.junit.Test;

/** Issue 6 item 4: the catalog's read-only snapshots of providers and of every process's sockets. */
public class IntrospectionTest extends ScriptedRuntimeTest {

    @Test
    public void providerDTOs_listProvidersInCatalogOrderWithAssignedEntryIds() {
        List<ProviderDTO> providers = catalog.providerDTOs();
        assertEquals(2, providers.size());
        assertEquals("P-np", providers.get(0).name);
        assertEquals(1, providers.get(0).entries.size());
        assertEquals("catalog ids start at 1001", 1001, providers.get(0).entries.get(0).catalogEntryId);
        assertEquals(NP_FLAGS, providers.get(0).entries.get(0).serviceFlags1);
    }

    @Test
    public void socketDTOs_showKindStateAndProviderOfEachProcessesSockets() {
        SOCKET leaf = npLeaf();
        SOCKET root = socket(AF_INET, RR_TYPE, 0, ROOT);
        List<SocketDTO> sockets = catalog.socketDTOs();
        assertEquals(2, sockets.size());
        SocketDTO l = sockets.get(0);
        assertEquals(leaf.value(), l.handle);
        assertEquals("plain object", l.process);
        assertEquals("c_leaf/d_leaf", l.kind);
        assertEquals("idle", l.state);
        assertEquals("P-np", l.provider);
        assertEquals(root.value(), sockets.get(1).handle);
        assertEquals("c_root/d_root", sockets.get(1).kind);

        assertEquals("nothing sent or received yet", 0, l.counters.messagesOut + l.counters.messagesIn);

        assertOk(ws.closesocket(leaf));
        assertEquals("a closed socket is gone", 1, catalog.socketDTOs().size());
    }

    private String stateOf(SOCKET s) {
        for (SocketDTO d : catalog.socketDTOs()) {
            if (d.handle == s.value()) {
                return d.state;
            }
        }
        throw new AssertionError(s + " is not listed");
    }

    @Test
    public void socketStatesFollowTheOneStateMachine_issue12() {
        SOCKET root = socket(AF_INET, RR_TYPE, 0, ROOT);
        assertOk(ws.listen(root, 4));
        assertEquals("listening", stateOf(root));

        SOCKET leaf = nonBlocking(npLeaf());
        assertEquals(leaf, join(leaf, GROUP, null, null, JL_BOTH));
        assertEquals("join pending", stateOf(leaf));
        np.lastJoin().complete(null);
        assertEquals("joined", stateOf(leaf));
        np.lastSocket().post(FD_CLOSE_BIT, WSAECONNRESET);
        assertEquals("closed with its code", "closed (WSAECONNRESET)", stateOf(leaf));
        assertFails(WSAEISCONN, join(leaf, GROUP, null, null, JL_BOTH)); // still no second join on it

        SOCKET refused = nonBlocking(npLeaf());
        assertEquals(refused, join(refused, GROUP, null, null, JL_BOTH));
        np.lastJoin().fail(WSAECONNREFUSED);
        assertEquals("a refused join may be retried (R22)", "idle", stateOf(refused));
        assertEquals(refused, join(refused, GROUP, null, null, JL_BOTH));
        np.lastJoin().fail(WSAEACCES);
        assertEquals("broken", stateOf(refused));

        catalog.remove(np);
        assertEquals("down", stateOf(refused));
    }
}
