package org.joinleaf.qos.admission;

import static org.joinleaf.api.Winsock2.*;
import static org.joinleaf.qos.admission.Flows.N;
import static org.joinleaf.qos.admission.Flows.qos;
import static org.joinleaf.qos.admission.Flows.sending;
import static org.joinleaf.qos.admission.Flows.spec;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Map;
import org.joinleaf.api.QOS;
import org.joinleaf.qos.FlowGrant;
import org.joinleaf.qos.QosRejectedException;
import org.joinleaf.spi.config.LaterChange;
import org.joinleaf.spi.testkit.LogLines;
import org.junit.Test;

/**
 * Rule Q10 (admission against each scope's capacity; issue 5 item 2), Q12 (NOCHANGE on renegotiation),
 * reconfiguration, and the {@code SIO_GET_QOS} support of conformance K.51.
 */
public class AdmissionControlTest {
    private static final String SCOPE = "tcp";
    private final AdmissionControl service = Configs.service(Map.of("defaultCapacity", 10_000L));

    private FlowGrant admit(int type, int rate) throws QosRejectedException {
        return service.admit(SCOPE, sending(spec(type, rate)), JL_BOTH);
    }

    private void assertRefused(int reason, ThrowingCall call) {
        try {
            call.run();
            fail("expected " + reason);
        } catch (QosRejectedException e) {
            assertEquals(e.toString(), reason, e.reason());
            assertEquals(WSAEOPNOTSUPP, e.code());
        }
    }

    private interface ThrowingCall {
        void run() throws QosRejectedException;
    }

    @Test
    public void q10AdmissionRunsOutAndComesBackOnRelease() throws Exception {
        FlowGrant a = admit(SERVICETYPE_CONTROLLEDLOAD, 4_000);
        admit(SERVICETYPE_GUARANTEED, 4_000);
        assertEquals(2_000, service.remainingCapacity(SCOPE));
        assertRefused(WSA_QOS_ADMISSION_FAILURE, () -> admit(SERVICETYPE_CONTROLLEDLOAD, 3_000));
        assertEquals("a refused flow takes nothing", 2_000, service.remainingCapacity(SCOPE));
        a.release();
        assertEquals(6_000, service.remainingCapacity(SCOPE));
        assertEquals(3_000, admit(SERVICETYPE_CONTROLLEDLOAD, 3_000).reservedRate());
        assertEquals(3_000, service.remainingCapacity(SCOPE));
    }

    @Test
    public void q10RefusedTwoWayFlowTakesNeitherDirection() throws Exception {
        admit(SERVICETYPE_CONTROLLEDLOAD, 8_000);
        QOS twoWay = qos(spec(SERVICETYPE_CONTROLLEDLOAD, 1_500), spec(SERVICETYPE_GUARANTEED, 1_500));
        assertRefused(WSA_QOS_ADMISSION_FAILURE, () -> service.admit(SCOPE, twoWay, JL_BOTH));
        assertEquals(2_000, service.remainingCapacity(SCOPE));
        assertEquals("Q11: a sender-only join reserves only its sending rate", 1_500,
                service.admit(SCOPE, twoWay, JL_SENDER_ONLY).reservedRate());
    }

    @Test
    public void q10BestEffortAlwaysPassesAndNoTrafficTakesNothing() throws Exception {
        AdmissionControl none = Configs.service(Map.of("defaultCapacity", 0L));
        assertEquals(0, none.admit(SCOPE, sending(spec(SERVICETYPE_BESTEFFORT, 1_000_000)), JL_BOTH).reservedRate());
        assertEquals(0, none.admit(SCOPE, qos(spec(SERVICETYPE_NOTRAFFIC, N), spec(SERVICETYPE_NOTRAFFIC, N)),
                JL_BOTH).reservedRate());
        assertRefused(WSA_QOS_ADMISSION_FAILURE,
                () -> none.admit(SCOPE, sending(spec(SERVICETYPE_CONTROLLEDLOAD, 1)), JL_BOTH));
    }

    @Test
    public void q10AdmissionFailureSaysWhatIsFreeAndWhatToDo() throws Exception {
        admit(SERVICETYPE_GUARANTEED, 9_000);
        try {
            admit(SERVICETYPE_GUARANTEED, 2_000);
            fail();
        } catch (QosRejectedException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("WSA_QOS_ADMISSION_FAILURE: scope 'tcp' has 1000 of"
                    + " 10000 bytes/s free"));
            assertTrue(e.getMessage(), e.getMessage().contains("reserves 2000"));
        }
    }

    @Test
    public void q10ReleaseIsIdempotent() throws Exception {
        FlowGrant a = admit(SERVICETYPE_CONTROLLEDLOAD, 4_000);
        admit(SERVICETYPE_CONTROLLEDLOAD, 4_000);
        a.release();
        a.release();
        assertEquals(6_000, service.remainingCapacity(SCOPE));
        assertEquals(0, a.reservedRate());
        assertTrue(a.shaper().isUnlimited());
    }

    @Test
    public void q10ScopesHaveTheirOwnCapacity() throws Exception {
        AdmissionControl scoped = Configs.service(Map.of("defaultCapacity", 10_000L,
                "scopeCapacities", new String[] {"tcp/eth0=1000", "udp = 0"}));
        scoped.admit("tcp/eth0", sending(spec(SERVICETYPE_GUARANTEED, 1_000)), JL_BOTH);
        assertRefused(WSA_QOS_ADMISSION_FAILURE,
                () -> scoped.admit("tcp/eth0", sending(spec(SERVICETYPE_GUARANTEED, 1)), JL_BOTH));
        assertRefused(WSA_QOS_ADMISSION_FAILURE,
                () -> scoped.admit("udp", sending(spec(SERVICETYPE_GUARANTEED, 1)), JL_BOTH));
        assertEquals(10_000, scoped.remainingCapacity("tcp"));
        scoped.admit("tcp", sending(spec(SERVICETYPE_GUARANTEED, 10_000)), JL_BOTH);
        assertEquals(0, scoped.remainingCapacity("tcp"));
    }

    @Test
    public void q10RenegotiationGrowsIntoFreeCapacityPlusItsOwn() throws Exception {
        FlowGrant a = admit(SERVICETYPE_CONTROLLEDLOAD, 6_000);
        admit(SERVICETYPE_CONTROLLEDLOAD, 3_000);
        a.renegotiate(sending(spec(SERVICETYPE_GUARANTEED, 7_000)));
        assertEquals(7_000, a.reservedRate());
        assertEquals(0, service.remainingCapacity(SCOPE));
    }

    @Test
    public void q10RefusedRenegotiationKeepsTheOldFlow() throws Exception {
        QOS old = sending(spec(SERVICETYPE_CONTROLLEDLOAD, 6_000, 3_000, N));
        FlowGrant a = service.admit(SCOPE, old, JL_BOTH);
        admit(SERVICETYPE_CONTROLLEDLOAD, 3_000);
        assertRefused(WSA_QOS_ADMISSION_FAILURE, () -> a.renegotiate(sending(spec(SERVICETYPE_CONTROLLEDLOAD, 8_000))));
        assertRefused(WSA_QOS_EFLOWSPEC, () -> a.renegotiate(sending(spec(SERVICETYPE_CONTROLLEDLOAD, 1_000, 0, N))));
        assertEquals(6_000, a.reservedRate());
        assertEquals(1_000, service.remainingCapacity(SCOPE));
        assertEquals(old, a.qos());
        assertEquals("the shaper keeps the old bucket", 3_000, a.shaper().maxAcquire());
    }

    @Test
    public void q10RenegotiationDownReturnsCapacityAndReshapes() throws Exception {
        FlowGrant a = admit(SERVICETYPE_GUARANTEED, 6_000);
        a.renegotiate(sending(spec(SERVICETYPE_BESTEFFORT, POSITIVE_INFINITY_RATE)));
        assertEquals(0, a.reservedRate());
        assertEquals(10_000, service.remainingCapacity(SCOPE));
        assertTrue("an infinite best-effort rate is not shaped", a.shaper().isUnlimited());
        a.renegotiate(sending(spec(SERVICETYPE_CONTROLLEDLOAD, 2_000, 1_500, N)));
        assertEquals(1_500, a.shaper().maxAcquire());
        assertEquals(8_000, service.remainingCapacity(SCOPE));
    }

    @Test
    public void q12NoChangeKeepsThatDirection() throws Exception {
        QOS first = qos(spec(SERVICETYPE_CONTROLLEDLOAD, 1_000), spec(SERVICETYPE_GUARANTEED, 2_000));
        FlowGrant a = service.admit(SCOPE, first, JL_BOTH);
        a.renegotiate(qos(spec(SERVICETYPE_NOCHANGE, N), spec(SERVICETYPE_GUARANTEED, 500)));
        assertEquals(1_500, a.reservedRate());
        assertEquals(first.SendingFlowspec, a.qos().SendingFlowspec);
        assertEquals(500, a.qos().ReceivingFlowspec.TokenRate);
        a.renegotiate(qos(spec(SERVICETYPE_GUARANTEED, 3_000), spec(SERVICETYPE_NOCHANGE, N)));
        assertEquals(3_500, a.reservedRate());
        assertEquals(500, a.qos().ReceivingFlowspec.TokenRate);
    }

    @Test
    public void k51JoinReplacesSetQosAndItsDirection() throws Exception {
        // SIO_SET_QOS(Q1) before the join is judged with both directions; the join's lpSQOS = Q2 with
        // JL_SENDER_ONLY replaces it (R33) and ignores Q2's receiving flowspec (R34), invalid as it is.
        FlowGrant grant = service.admit(SCOPE, qos(spec(SERVICETYPE_GUARANTEED, 1_000),
                spec(SERVICETYPE_GUARANTEED, 2_000)), JL_BOTH);
        QOS q2 = qos(spec(SERVICETYPE_CONTROLLEDLOAD, 4_000), spec(SERVICETYPE_GUARANTEED, N));
        assertRefused(WSA_QOS_EFLOWSPEC, () -> grant.renegotiate(q2));
        assertEquals(3_000, grant.reservedRate());
        grant.renegotiate(q2, JL_SENDER_ONLY);
        assertEquals(q2, grant.qos());
        assertEquals(4_000, grant.reservedRate());
        grant.renegotiate(sending(spec(SERVICETYPE_GUARANTEED, 5_000)));
        assertEquals("later renegotiations keep the join's direction", 5_000, grant.reservedRate());
    }

    @Test(expected = IllegalStateException.class)
    public void renegotiatingAReleasedGrantIsAProgrammingError() throws Exception {
        FlowGrant a = admit(SERVICETYPE_CONTROLLEDLOAD, 1_000);
        a.release();
        a.renegotiate(sending(spec(SERVICETYPE_CONTROLLEDLOAD, 1_000)));
    }

    @Test
    public void k51GrantReportsTheAdmittedQosAsACopy() throws Exception {
        QOS q2 = qos(spec(SERVICETYPE_GUARANTEED, 2_000, 4_000, 8_000), spec(SERVICETYPE_BESTEFFORT, N));
        FlowGrant a = service.admit(SCOPE, q2, JL_BOTH);
        QOS expected = new QOS(q2);
        q2.SendingFlowspec.TokenRate = 1; // the caller owns its buffer (R29)
        assertEquals(expected, a.qos());
        a.qos().SendingFlowspec.TokenRate = 1;
        assertEquals(expected, a.qos());
        assertNotSame(a.qos(), a.qos());
        // the second SIO_SET_QOS replaces the first (R33)
        QOS q3 = sending(spec(SERVICETYPE_CONTROLLEDLOAD, 500));
        a.renegotiate(q3);
        assertEquals(q3, a.qos());
    }

    @Test
    public void reconfigurationKeepsAdmittedFlowsAndAppliesToNewOnes() throws Exception {
        FlowGrant a = admit(SERVICETYPE_GUARANTEED, 8_000);
        service.modified(Configs.config(Map.of("defaultCapacity", 5_000L, "offeredServiceTypes",
                new String[] {"BESTEFFORT", "GUARANTEED"})));
        assertEquals("admitted flows keep their reservation", 8_000, a.reservedRate());
        assertEquals(0, service.remainingCapacity(SCOPE));
        assertRefused(WSA_QOS_ADMISSION_FAILURE, () -> admit(SERVICETYPE_GUARANTEED, 1));
        assertRefused(WSA_QOS_ESERVICETYPE, () -> admit(SERVICETYPE_CONTROLLEDLOAD, 1));
        a.renegotiate(sending(spec(SERVICETYPE_GUARANTEED, 7_000))); // shrinking always fits
        assertRefused(WSA_QOS_ADMISSION_FAILURE, () -> a.renegotiate(sending(spec(SERVICETYPE_GUARANTEED, 7_001))));
        a.release();
        assertEquals(5_000, service.remainingCapacity(SCOPE));
    }

    /** Issue 15 item 3: a later bad change is refused whole with one line; the previous policy stays. */
    @Test
    public void badReconfigurationKeepsThePreviousPolicy() throws Exception {
        List<String> lines = LogLines.of(AdmissionControl.class, () -> service.modified(
                Configs.config(Map.of("defaultCapacity", 1L, "scopeCapacities", new String[] {"x=y"}))));
        assertEquals(List.of("configuration org.joinleaf.qos: scopeCapacities=[x=y] refused (entry 'x=y' is not "
                + "'scope=bytesPerSecond' with bytesPerSecond >= 0)" + LaterChange.KEPT), lines);
        assertEquals(10_000, service.remainingCapacity(SCOPE));
        admit(SERVICETYPE_GUARANTEED, 10_000);
    }
}
