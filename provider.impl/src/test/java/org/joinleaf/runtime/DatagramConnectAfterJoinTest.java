package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;

import java.util.concurrent.Future;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.junit.Test;

/**
 * Issue 13, deliverable 2 (runtime half): connect on a multicast (non-rooted, connectionless) socket after
 * WSAJoinLeaf is handed to the provider every time, AF_UNSPEC included, never WSAEISCONN, and the socket stays a
 * member (10056 after a join was the bug the issue reports).
 */
public class DatagramConnectAfterJoinTest extends ScriptedRuntimeTest {
    @Test
    public void connectAfterWSAJoinLeafSetsTheDestinationAndTheSocketStaysJoined() throws Exception {
        SOCKET s = npLeaf();
        Future<Outcome<SOCKET>> joined = inBackground(() -> join(s, GROUP, null, null, JL_BOTH));
        np.nextJoin().complete(null);
        assertEquals(s, result(joined).value);
        for (SOCKADDR to : new SOCKADDR[] {LEAF_A, LEAF_B, new SOCKADDR()}) {
            Future<Outcome<Integer>> c = inBackground(() -> ws.connect(s, to, IN_LEN));
            ScriptedProvider.Join j = np.nextJoin(); // the scripted provider records connect like a join
            assertEquals(to.sa_family, j.request.name().sa_family);
            j.complete(null);
            assertEquals("connect failed with " + result(c).lastError, 0, (int) result(c).value);
        }
        assertEquals(1, ws.send(s, new byte[] {9}, 1, 0)); // still a member: the join state did not move
        assertEquals("joined", ws.socketDTOs().get(0).state);
    }

    @Test
    public void aDatagramConnectTheProviderRefusesReportsItsCode() throws Exception {
        SOCKET s = npLeaf();
        Future<Outcome<Integer>> c = inBackground(() -> ws.connect(s, LEAF_A, IN_LEN));
        np.nextJoin().fail(WSAENETUNREACH);
        assertEquals(WSAENETUNREACH, result(c).lastError);
    }
}
