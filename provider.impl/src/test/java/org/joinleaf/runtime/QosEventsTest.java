package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;

import org.joinleaf.api.FLOWSPEC;
import org.joinleaf.api.QOS;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSAEVENT;
import org.joinleaf.api.WSANETWORKEVENTS;
import org.junit.Before;
import org.junit.Test;

/**
 * QoS as the runtime owns it over any provider: {@code FD_QOS} recording (decisions 19) and what {@code SIO_GET_QOS}
 * reports after a one-direction join (decisions 21, R34), over a scripted provider with {@code XP1_QOS_SUPPORTED}
 * that keeps whatever QOS it was given.
 */
public class QosEventsTest extends ScriptedRuntimeTest {
    private ScriptedProvider qos;

    @Before
    public void addQosProvider() {
        qos = ScriptedProvider.withJoin().entry("P-qos", AF_INET, SOCK_SEQPACKET, 0,
                XP1_SUPPORT_MULTIPOINT | XP1_QOS_SUPPORTED);
        catalog.add(qos, "P-qos", 0, 7L);
    }

    private SOCKET qosLeaf() {
        return socket(AF_INET, SOCK_SEQPACKET, 0, LEAF);
    }

    private static QOS bothDirections() {
        QOS q = new QOS();
        q.SendingFlowspec.ServiceType = SERVICETYPE_CONTROLLEDLOAD;
        q.SendingFlowspec.TokenRate = 64_000;
        q.ReceivingFlowspec.ServiceType = SERVICETYPE_CONTROLLEDLOAD;
        q.ReceivingFlowspec.TokenRate = 32_000;
        return q;
    }

    @Test
    public void aFurtherQosChangeAfterFdQosWasReadIsRecordedAgain_decisions19() {
        SOCKET s = qosLeaf();
        WSAEVENT e = select(s, FD_QOS);
        ScriptedProvider.ScriptedSocket t = qos.lastSocket();
        t.post(FD_QOS_BIT, 0);
        assertEquals(FD_QOS, events(s, e).lNetworkEvents);

        t.post(FD_QOS_BIT, WSA_QOS_ADMISSION_FAILURE); // no SIO_GET_QOS in between
        WSANETWORKEVENTS ne = events(s, e);
        assertEquals("a further change is reported", FD_QOS, ne.lNetworkEvents);
        assertEquals(WSA_QOS_ADMISSION_FAILURE, ne.iErrorCode[FD_QOS_BIT]);
    }

    @Test
    public void changesBeforeFdQosIsReadAreOneEventWithTheLatestCode_decisions19() {
        SOCKET s = qosLeaf();
        WSAEVENT e = select(s, FD_QOS);
        ScriptedProvider.ScriptedSocket t = qos.lastSocket();
        t.post(FD_QOS_BIT, 0);
        t.post(FD_QOS_BIT, WSA_QOS_ADMISSION_FAILURE); // a later admission failure must not be lost
        WSANETWORKEVENTS ne = events(s, e);
        assertEquals(FD_QOS, ne.lNetworkEvents);
        assertEquals(WSA_QOS_ADMISSION_FAILURE, ne.iErrorCode[FD_QOS_BIT]);
        assertEquals("nothing more until the next change", 0, events(s, e).lNetworkEvents);
    }

    @Test
    public void receiverOnlyJoinReportsNoSendingFlowspecInEffect_decisions21_R34() {
        SOCKET s = qosLeaf();
        assertEquals(s, ws.WSAJoinLeaf(nonBlocking(s), GROUP, IN_LEN, null, null, bothDirections(), null,
                JL_RECEIVER_ONLY));
        qos.lastJoin().complete(null);
        QOS out = new QOS();
        assertOk(ws.WSAIoctl(s, SIO_GET_QOS, null, 0, out, QOS.SIZE, new int[1]));
        assertEquals("the ignored sending flowspec is not in effect", new FLOWSPEC(), out.SendingFlowspec);
        assertEquals(32_000, out.ReceivingFlowspec.TokenRate);
    }

    @Test
    public void senderOnlyJoinReportsNoReceivingFlowspecInEffect_decisions21_R34() {
        SOCKET s = qosLeaf();
        assertEquals(s, ws.WSAJoinLeaf(nonBlocking(s), GROUP, IN_LEN, null, null, bothDirections(), null,
                JL_SENDER_ONLY));
        qos.lastJoin().complete(null);
        QOS out = new QOS();
        assertOk(ws.WSAIoctl(s, SIO_GET_QOS, null, 0, out, QOS.SIZE, new int[1]));
        assertEquals(new FLOWSPEC(), out.ReceivingFlowspec);
        assertEquals(64_000, out.SendingFlowspec.TokenRate);
    }
}
