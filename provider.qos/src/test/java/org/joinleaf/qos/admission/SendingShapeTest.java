package org.joinleaf.qos.admission;

import static org.joinleaf.api.Winsock2.*;
import static org.joinleaf.qos.admission.Flows.N;
import static org.joinleaf.qos.admission.Flows.qos;
import static org.joinleaf.qos.admission.Flows.receiving;
import static org.joinleaf.qos.admission.Flows.sending;
import static org.joinleaf.qos.admission.Flows.spec;
import static org.junit.Assert.assertEquals;

import java.util.Map;
import org.joinleaf.api.QOS;
import org.joinleaf.qos.QosRejectedException;
import org.junit.Test;

/** Rule Q13: how a sending flowspec becomes token-bucket parameters, with its QOS_NOT_SPECIFIED defaults (§5). */
public class SendingShapeTest {
    private final QosPolicy policy = QosPolicy.from(Configs.config(Map.of("maxBucketSize", 50_000L)));

    private FlowDemand demand(QOS qos, int direction) throws QosRejectedException {
        return FlowspecRules.evaluate(qos, null, direction, policy);
    }

    private void assertShape(String rule, long rate, long bucket, long peak, FlowDemand d) {
        assertEquals(rule + ": rate", rate, d.shapeRate());
        assertEquals(rule + ": bucket", bucket, d.shapeBucket());
        assertEquals(rule + ": peak", peak, d.shapePeak());
    }

    @Test
    public void q13GivenParametersAreUsed() throws Exception {
        assertShape("Q13 given", 64_000, 8_000, 128_000,
                demand(sending(spec(SERVICETYPE_GUARANTEED, 64_000, 8_000, 128_000)), JL_BOTH));
    }

    @Test
    public void q13DefaultBucketIsTenthOfRate() throws Exception {
        assertShape("Q13 default bucket 100 ms", 200_000, 20_000, 0,
                demand(sending(spec(SERVICETYPE_CONTROLLEDLOAD, 200_000)), JL_BOTH));
    }

    @Test
    public void q13DefaultBucketIsAtLeast1KiB() throws Exception {
        assertShape("Q13 default bucket floor", 1_000, 1024, 0,
                demand(sending(spec(SERVICETYPE_CONTROLLEDLOAD, 1_000)), JL_BOTH));
    }

    @Test
    public void q13DefaultBucketOfReservedFlowIsCappedByMaxBucketSize() throws Exception {
        assertShape("Q13 cap", 1_000_000, 50_000, 0, demand(sending(spec(SERVICETYPE_GUARANTEED, 1_000_000)), JL_BOTH));
    }

    @Test
    public void q13DefaultBucketOfBestEffortIsNotCapped() throws Exception {
        assertShape("Q13 best effort", 1_000_000, 100_000, 0,
                demand(sending(spec(SERVICETYPE_BESTEFFORT, 1_000_000)), JL_BOTH));
    }

    @Test
    public void q13InfinitePeakIsNoPeakLimit() throws Exception {
        assertShape("Q13 infinite peak", 4_000, 2_000, 0,
                demand(sending(spec(SERVICETYPE_BESTEFFORT, 4_000, 2_000, POSITIVE_INFINITY_RATE)), JL_BOTH));
    }

    @Test
    public void q13InfiniteTokenRateIsNotShaped() throws Exception {
        assertShape("Q13 infinite rate", 0, 0, 0,
                demand(sending(spec(SERVICETYPE_BESTEFFORT, POSITIVE_INFINITY_RATE)), JL_BOTH));
    }

    @Test
    public void q13NoSendingTrafficIsNotShaped() throws Exception {
        assertShape("Q13 NOTRAFFIC", 0, 0, 0, demand(receiving(spec(SERVICETYPE_GUARANTEED, 4_000)), JL_BOTH));
    }

    @Test
    public void q13AReceiverOnlyJoinIsNotShaped() throws Exception {
        // Q11/R34: the sending flowspec of a JL_RECEIVER_ONLY join is ignored, shaping included
        assertShape("Q13 receiver only", 0, 0, 0,
                demand(qos(spec(SERVICETYPE_GUARANTEED, 4_000), spec(SERVICETYPE_BESTEFFORT, N)), JL_RECEIVER_ONLY));
    }
}
