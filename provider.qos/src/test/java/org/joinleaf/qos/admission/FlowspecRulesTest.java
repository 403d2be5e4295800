package org.joinleaf.qos.admission;

import static org.joinleaf.api.Winsock2.*;
import static org.joinleaf.qos.admission.Flows.N;
import static org.joinleaf.qos.admission.Flows.qos;
import static org.joinleaf.qos.admission.Flows.receiving;
import static org.joinleaf.qos.admission.Flows.sending;
import static org.joinleaf.qos.admission.Flows.sizes;
import static org.joinleaf.qos.admission.Flows.spec;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.joinleaf.api.QOS;
import org.joinleaf.api.WSABUF;
import org.joinleaf.api.WSAError;
import org.joinleaf.qos.QosRejectedException;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameter;
import org.junit.runners.Parameterized.Parameters;

/**
 * Every flowspec rule of {@link FlowspecRules} (Q1–Q9, Q11; §5, decisions 10, K.50), one row per case: the QoS, the
 * join direction, the configuration, and either the {@code WSA_QOS_*} reason of the refusal or the bytes per second
 * the accepted flow reserves.
 */
@RunWith(Parameterized.class)
public class FlowspecRulesTest {
    private static final int OK = 0;
    private static final int KIB = 1024;
    private static final int MIB = 1024 * 1024;
    private static final Map<String, Object> DEFAULTS = Map.of();

    @Parameter(0)
    public String rule;
    @Parameter(1)
    public Map<String, Object> config;
    @Parameter(2)
    public QOS qos;
    @Parameter(3)
    public int direction;
    @Parameter(4)
    public int reason;
    @Parameter(5)
    public long reservation;

    @Parameters(name = "{0}")
    public static List<Object[]> rules() {
        List<Object[]> rows = new ArrayList<>();
        // Q1 service types
        ok(rows, "Q1 NOTRAFFIC both ways asks nothing", qos(spec(SERVICETYPE_NOTRAFFIC, N), spec(SERVICETYPE_NOTRAFFIC, N)), 0);
        ok(rows, "Q1 NOCHANGE on a first admission asks nothing", qos(spec(SERVICETYPE_NOCHANGE, N), spec(SERVICETYPE_NOCHANGE, N)), 0);
        ok(rows, "Q1 BESTEFFORT sender reserves nothing", sending(spec(SERVICETYPE_BESTEFFORT, 64 * KIB)), 0);
        ok(rows, "Q1 CONTROLLEDLOAD sender reserves TokenRate", sending(spec(SERVICETYPE_CONTROLLEDLOAD, 64 * KIB)), 64 * KIB);
        ok(rows, "Q1 GUARANTEED sender reserves TokenRate", sending(spec(SERVICETYPE_GUARANTEED, MIB)), MIB);
        ok(rows, "Q1 GENERAL_INFORMATION sender is read as BESTEFFORT", sending(spec(SERVICETYPE_GENERAL_INFORMATION, MIB)), 0);
        ok(rows, "Q1 SERVICE_NO_QOS_SIGNALING modifier is accepted",
                sending(spec(SERVICETYPE_CONTROLLEDLOAD | SERVICE_NO_QOS_SIGNALING, KIB)), KIB);
        refused(rows, "Q1 GENERAL_INFORMATION receiver", receiving(spec(SERVICETYPE_GENERAL_INFORMATION, N)), WSA_QOS_ESERVICETYPE);
        refused(rows, "Q1 NETWORK_UNAVAILABLE is only reported", sending(spec(SERVICETYPE_NETWORK_UNAVAILABLE, KIB)), WSA_QOS_ESERVICETYPE);
        refused(rows, "Q1 NONCONFORMING", sending(spec(SERVICETYPE_NONCONFORMING, KIB)), WSA_QOS_ESERVICETYPE);
        refused(rows, "Q1 NETWORK_CONTROL", sending(spec(SERVICETYPE_NETWORK_CONTROL, KIB)), WSA_QOS_ESERVICETYPE);
        refused(rows, "Q1 QUALITATIVE", receiving(spec(SERVICETYPE_QUALITATIVE, N)), WSA_QOS_ESERVICETYPE);
        refused(rows, "Q1 SERVICE_GUARANTEED bit mask is not a ServiceType", sending(spec(0x80040000, KIB)), WSA_QOS_ESERVICETYPE);
        refused(rows, "Q1 undefined type 7", sending(spec(7, KIB)), WSA_QOS_ESERVICETYPE);
        // Q2 a sending TokenRate cannot be defaulted (K.50, decisions 10)
        refused(rows, "Q2 K.50 GUARANTEED sender without TokenRate", sending(spec(SERVICETYPE_GUARANTEED, N)), WSA_QOS_EFLOWSPEC);
        refused(rows, "Q2 CONTROLLEDLOAD sender without TokenRate", sending(spec(SERVICETYPE_CONTROLLEDLOAD, N)), WSA_QOS_EFLOWSPEC);
        refused(rows, "Q2 BESTEFFORT sender without TokenRate", sending(spec(SERVICETYPE_BESTEFFORT, N)), WSA_QOS_EFLOWSPEC);
        ok(rows, "Q2 sender may default every other field", sending(sizes(SERVICETYPE_GUARANTEED, KIB, N, N)), KIB);
        // Q3 receivers
        refused(rows, "Q3 GUARANTEED receiver without TokenRate", receiving(spec(SERVICETYPE_GUARANTEED, N)), WSA_QOS_EFLOWSPEC);
        ok(rows, "Q3 GUARANTEED receiver reserves its TokenRate", receiving(spec(SERVICETYPE_GUARANTEED, 2 * KIB)), 2 * KIB);
        ok(rows, "Q3 CONTROLLEDLOAD receiver defaults everything, reserves nothing", receiving(spec(SERVICETYPE_CONTROLLEDLOAD, N)), 0);
        ok(rows, "Q3 CONTROLLEDLOAD receiver with TokenRate reserves it", receiving(spec(SERVICETYPE_CONTROLLEDLOAD, 3 * KIB)), 3 * KIB);
        ok(rows, "Q3 BESTEFFORT receiver defaults everything", receiving(spec(SERVICETYPE_BESTEFFORT, N)), 0);
        // Q4 zero is not a value
        refused(rows, "Q4 sending TokenRate 0", sending(spec(SERVICETYPE_BESTEFFORT, 0)), WSA_QOS_EFLOWSPEC);
        refused(rows, "Q4 receiving TokenRate 0", receiving(spec(SERVICETYPE_CONTROLLEDLOAD, 0)), WSA_QOS_EFLOWSPEC);
        refused(rows, "Q4 TokenBucketSize 0", sending(spec(SERVICETYPE_CONTROLLEDLOAD, KIB, 0, N)), WSA_QOS_EFLOWSPEC);
        refused(rows, "Q4 MaxSduSize 0", sending(sizes(SERVICETYPE_CONTROLLEDLOAD, KIB, 0, N)), WSA_QOS_EFLOWSPEC);
        // Q5 PeakBandwidth >= TokenRate
        refused(rows, "Q5 PeakBandwidth below TokenRate", sending(spec(SERVICETYPE_CONTROLLEDLOAD, 2 * KIB, N, KIB)), WSA_QOS_EFLOWSPEC);
        refused(rows, "Q5 PeakBandwidth 0", sending(spec(SERVICETYPE_BESTEFFORT, KIB, N, 0)), WSA_QOS_EFLOWSPEC);
        refused(rows, "Q5 compared unsigned (2 GiB/s rate, 2 GiB/s - 1 peak)",
                sending(spec(SERVICETYPE_BESTEFFORT, 0x80000000, N, 0x7FFFFFFF)), WSA_QOS_EFLOWSPEC);
        refused(rows, "Q5 infinite TokenRate with a finite peak",
                sending(spec(SERVICETYPE_BESTEFFORT, POSITIVE_INFINITY_RATE, N, MIB)), WSA_QOS_EFLOWSPEC);
        refused(rows, "Q5 receiver PeakBandwidth below TokenRate", receiving(spec(SERVICETYPE_GUARANTEED, 2 * KIB, N, KIB)), WSA_QOS_EFLOWSPEC);
        ok(rows, "Q5 PeakBandwidth equal to TokenRate", sending(spec(SERVICETYPE_CONTROLLEDLOAD, KIB, N, KIB)), KIB);
        ok(rows, "Q5 PeakBandwidth POSITIVE_INFINITY_RATE", sending(spec(SERVICETYPE_CONTROLLEDLOAD, KIB, N, POSITIVE_INFINITY_RATE)), KIB);
        ok(rows, "Q5 receiver peak without TokenRate", receiving(spec(SERVICETYPE_CONTROLLEDLOAD, N, N, KIB)), 0);
        // Q6 MaxSduSize >= MinimumPolicedSize
        refused(rows, "Q6 MaxSduSize below MinimumPolicedSize", sending(sizes(SERVICETYPE_CONTROLLEDLOAD, KIB, 64, 128)), WSA_QOS_EFLOWSPEC);
        refused(rows, "Q6 receiver MaxSduSize below MinimumPolicedSize", receiving(sizes(SERVICETYPE_BESTEFFORT, N, 64, 128)), WSA_QOS_EFLOWSPEC);
        ok(rows, "Q6 MaxSduSize equal to MinimumPolicedSize", sending(sizes(SERVICETYPE_CONTROLLEDLOAD, KIB, 128, 128)), KIB);
        ok(rows, "Q6 only MinimumPolicedSize given", sending(sizes(SERVICETYPE_CONTROLLEDLOAD, KIB, N, 128)), KIB);
        // Q7 offered service types
        Map<String, Object> onlyBestEffort = Map.of("offeredServiceTypes", new String[] {"BESTEFFORT"});
        refused(rows, "Q7 CONTROLLEDLOAD not offered", onlyBestEffort, sending(spec(SERVICETYPE_CONTROLLEDLOAD, KIB)), JL_BOTH, WSA_QOS_ESERVICETYPE);
        refused(rows, "Q7 GUARANTEED receiver not offered", onlyBestEffort, receiving(spec(SERVICETYPE_GUARANTEED, KIB)), JL_BOTH, WSA_QOS_ESERVICETYPE);
        rows.add(new Object[] {"Q7 NOTRAFFIC needs no offer", Map.of("offeredServiceTypes", new String[0]),
                qos(spec(SERVICETYPE_NOTRAFFIC, N), spec(SERVICETYPE_NOTRAFFIC, N)), JL_BOTH, OK, 0L});
        refused(rows, "Q7 BESTEFFORT not offered", Map.of("offeredServiceTypes", new String[] {"GUARANTEED"}),
                sending(spec(SERVICETYPE_BESTEFFORT, KIB)), JL_BOTH, WSA_QOS_ESERVICETYPE);
        // Q8 ProviderSpecific (details in ProviderSpecificObjectsTest)
        QOS badObjects = sending(spec(SERVICETYPE_BESTEFFORT, KIB));
        badObjects.ProviderSpecific = new WSABUF(4, new byte[4]);
        refused(rows, "Q8 ProviderSpecific shorter than a header", badObjects, WSA_QOS_EPROVSPECBUF);
        // Q9 per-flow maxima
        Map<String, Object> small = Map.of("maxTokenRate", 1000L, "maxBucketSize", 500L);
        refused(rows, "Q9 CONTROLLEDLOAD TokenRate above maxTokenRate", small, sending(spec(SERVICETYPE_CONTROLLEDLOAD, 1001)), JL_BOTH, WSA_QOS_POLICY_FAILURE);
        refused(rows, "Q9 GUARANTEED receiver above maxTokenRate", small, receiving(spec(SERVICETYPE_GUARANTEED, 1001)), JL_BOTH, WSA_QOS_POLICY_FAILURE);
        refused(rows, "Q9 GUARANTEED bucket above maxBucketSize", small, sending(spec(SERVICETYPE_GUARANTEED, 1000, 501, N)), JL_BOTH, WSA_QOS_POLICY_FAILURE);
        refused(rows, "Q9 CONTROLLEDLOAD infinite TokenRate", DEFAULTS,
                sending(spec(SERVICETYPE_CONTROLLEDLOAD, POSITIVE_INFINITY_RATE)), JL_BOTH, WSA_QOS_POLICY_FAILURE);
        rows.add(new Object[] {"Q9 at the maxima", small, sending(spec(SERVICETYPE_GUARANTEED, 1000, 500, N)), JL_BOTH, OK, 1000L});
        rows.add(new Object[] {"Q9 BESTEFFORT is not bound by the maxima", small,
                sending(spec(SERVICETYPE_BESTEFFORT, 5000, 9000, N)), JL_BOTH, OK, 0L});
        // Q11 the unused direction is ignored (R34)
        QOS badReceiver = qos(spec(SERVICETYPE_CONTROLLEDLOAD, KIB), spec(SERVICETYPE_GUARANTEED, N));
        QOS badSender = qos(spec(SERVICETYPE_GUARANTEED, N), spec(SERVICETYPE_GUARANTEED, 2 * KIB));
        QOS both = qos(spec(SERVICETYPE_CONTROLLEDLOAD, KIB), spec(SERVICETYPE_GUARANTEED, 2 * KIB));
        rows.add(new Object[] {"Q11 R34 JL_SENDER_ONLY ignores a bad receiving flowspec", DEFAULTS, badReceiver, JL_SENDER_ONLY, OK, (long) KIB});
        rows.add(new Object[] {"Q11 R34 JL_RECEIVER_ONLY ignores a bad sending flowspec (K.50 case)", DEFAULTS, badSender, JL_RECEIVER_ONLY, OK, 2L * KIB});
        refused(rows, "Q11 JL_BOTH checks the receiving flowspec", DEFAULTS, badReceiver, JL_BOTH, WSA_QOS_EFLOWSPEC);
        refused(rows, "Q11 JL_BOTH checks the sending flowspec", DEFAULTS, badSender, JL_BOTH, WSA_QOS_EFLOWSPEC);
        rows.add(new Object[] {"Q11 JL_BOTH reserves both directions", DEFAULTS, both, JL_BOTH, OK, 3L * KIB});
        rows.add(new Object[] {"Q11 0x03 reads as JL_BOTH (decisions 5)", DEFAULTS, both, 0x03, OK, 3L * KIB});
        rows.add(new Object[] {"Q11 JL_SENDER_ONLY reserves only the sending rate", DEFAULTS, both, JL_SENDER_ONLY, OK, (long) KIB});
        return rows;
    }

    private static void ok(List<Object[]> rows, String rule, QOS qos, long reservation) {
        rows.add(new Object[] {rule, DEFAULTS, qos, JL_BOTH, OK, reservation});
    }

    private static void refused(List<Object[]> rows, String rule, QOS qos, int reason) {
        refused(rows, rule, DEFAULTS, qos, JL_BOTH, reason);
    }

    private static void refused(List<Object[]> rows, String rule, Map<String, Object> config, QOS qos, int direction,
            int reason) {
        rows.add(new Object[] {rule, config, qos, direction, reason, 0L});
    }

    @Test
    public void rule() {
        QosPolicy policy = QosPolicy.from(Configs.config(config));
        try {
            FlowDemand demand = FlowspecRules.evaluate(qos, null, direction, policy);
            assertEquals(rule + ": accepted, but expected " + WSAError.nameOf(reason), OK, reason);
            assertEquals(rule + ": reservation", reservation, demand.reservation());
            assertEquals(rule + ": the QoS in effect is the one asked", qos, demand.effective());
        } catch (QosRejectedException e) {
            if (reason == OK) {
                fail(rule + ": refused with " + e);
            }
            assertEquals(rule + ": " + e, WSAError.nameOf(reason), WSAError.nameOf(e.reason()));
            assertEquals("decisions 10: the synchronous failure is WSAEOPNOTSUPP", WSAEOPNOTSUPP, e.code());
            assertTrue(rule + ": the message names the reason: " + e.getMessage(),
                    e.getMessage().startsWith(WSAError.nameOf(reason) + ": "));
        }
    }
}
