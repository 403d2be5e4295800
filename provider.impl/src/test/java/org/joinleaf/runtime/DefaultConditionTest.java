package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.joinleaf.api.LPCONDITIONPROC;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSABUF;
import org.joinleaf.api.WSAPEERIDENTITY;
import org.junit.Test;

/**
 * The joinleaf extensions of WSAAccept (documented on Winsock.WSAAccept): the default condition (service
 * {@code joinleaf.condition=default}) judges calls without a condition function; the runtime calls
 * {@code applyWithIdentity}; plain lambdas keep their Winsock signature.
 */
public class DefaultConditionTest extends ScriptedRuntimeTest {
    private static final LPCONDITIONPROC REJECT = (a, b, c, d, e, f, g, h) -> CF_REJECT;
    private static final LPCONDITIONPROC ACCEPT = (a, b, c, d, e, f, g, h) -> CF_ACCEPT;

    private ScriptedProvider.ScriptedRequest queued(SOCKET root) {
        assertOk(ws.listen(root, 5));
        return rr.lastSocket().queue(LEAF_A, new byte[] {7}, null, 0);
    }

    @Test // §4 unchanged: no condition function and no default condition accepts
    public void withoutAnyConditionEveryRequestIsAccepted() {
        SOCKET root = rrRoot();
        ScriptedProvider.ScriptedRequest request = queued(root);
        assertNotEquals(SOCKET.INVALID_SOCKET, ws.WSAAccept(root, null, null, null, 0));
        assertNotNull(request.accepted());
    }

    // decision 14: the default condition judges WSAAccept(NULL condition) and accept(); CF_REJECT is WSAECONNREFUSED
    @Test
    public void theDefaultConditionJudgesCallsWithoutOne() {
        SOCKET root = rrRoot();
        ws.bindDefaultCondition(REJECT);
        ScriptedProvider.ScriptedRequest first = queued(root);
        assertFails(WSAECONNREFUSED, ws.WSAAccept(root, null, null, null, 0));
        assertTrue(first.rejected());
        ScriptedProvider.ScriptedRequest second = rr.lastSocket().queue(LEAF_B, null, null, 0);
        assertFails(WSAECONNREFUSED, ws.accept(root, null, null));
        assertTrue(second.rejected());
    }

    @Test // decision 14: the application's own condition function wins over the default one
    public void anExplicitConditionOverridesTheDefault() {
        SOCKET root = rrRoot();
        ws.bindDefaultCondition(REJECT);
        ScriptedProvider.ScriptedRequest request = queued(root);
        assertNotEquals(SOCKET.INVALID_SOCKET, ws.WSAAccept(root, null, null, ACCEPT, 0));
        assertNotNull(request.accepted());
    }

    // decision 14, decisions 12 (live catalog of services): greedy replacement binds the better service before
    // unbinding the old one; unbinding a stale one is harmless
    @Test
    public void aGreedySwapKeepsTheNewDefaultAndTheLastUnbindRemovesIt() {
        SOCKET root = rrRoot();
        ws.bindDefaultCondition(REJECT);
        ws.bindDefaultCondition(ACCEPT);
        ws.unbindDefaultCondition(REJECT);
        queued(root);
        assertNotEquals(SOCKET.INVALID_SOCKET, ws.WSAAccept(root, null, null, null, 0));
        ws.unbindDefaultCondition(ACCEPT);
        ws.bindDefaultCondition(REJECT);
        ws.unbindDefaultCondition(REJECT);
        rr.lastSocket().queue(LEAF_B, null, null, 0);
        assertNotEquals("no default condition left: Winsock's accept", SOCKET.INVALID_SOCKET,
                ws.WSAAccept(root, null, null, null, 0));
    }

    // §4 + identity extension: the runtime calls applyWithIdentity: withIdentity sees the request's identity (null:
    // not authenticated)
    @Test
    public void conditionFunctionsGetTheIdentityThroughApplyWithIdentity() {
        SOCKET root = rrRoot();
        queued(root);
        List<Object> seen = new ArrayList<>();
        assertNotEquals(SOCKET.INVALID_SOCKET, ws.WSAAccept(root, null, null, LPCONDITIONPROC.withIdentity(
                (identity, callerId, callerData, sqos, gqos, calleeId, calleeData, g, cb) -> {
                    seen.add(identity);
                    seen.add(callerData.toBytes()[0]);
                    return CF_ACCEPT;
                }), 0));
        assertEquals(2, seen.size());
        assertNull("the scripted transport authenticates nobody", seen.get(0));
        assertEquals((byte) 7, seen.get(1));
    }

    // §4 + identity extension: a plain call of apply() on a withIdentity function passes a null identity; lambdas
    // ignore identities
    @Test
    public void applyAndApplyWithIdentityAgree() {
        WSAPEERIDENTITY[] seen = {null};
        boolean[] called = {false};
        LPCONDITIONPROC f = LPCONDITIONPROC.withIdentity((identity, a, b, c, d, e, cd, g, h) -> {
            seen[0] = identity;
            called[0] = true;
            return CF_DEFER;
        });
        assertEquals(CF_DEFER, f.apply(WSABUF.of(new byte[0]), null, null, null, null, null, null, 0));
        assertTrue(called[0]);
        assertNull(seen[0]);
        assertEquals(CF_ACCEPT, ACCEPT.applyWithIdentity(null, null, null, null, null, null, null, null, 0));
    }
}
