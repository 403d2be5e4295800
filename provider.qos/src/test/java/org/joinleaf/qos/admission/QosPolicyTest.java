package org.joinleaf.qos.admission;

import static org.joinleaf.api.Winsock2.SERVICETYPE_BESTEFFORT;
import static org.joinleaf.api.Winsock2.SERVICETYPE_CONTROLLEDLOAD;
import static org.joinleaf.api.Winsock2.SERVICETYPE_GUARANTEED;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.Map;
import java.util.Set;
import org.junit.Test;

/** The configuration (PID org.joinleaf.qos): its documented defaults and the checks that name a bad value. */
public class QosPolicyTest {

    @Test
    public void defaultsAreTheDocumentedOnes() {
        QosPolicy p = QosPolicy.from(Configs.defaults());
        assertEquals(10L * 1024 * 1024, p.defaultCapacity);
        assertEquals(10L * 1024 * 1024, p.capacityOf("tcp"));
        assertEquals(10L * 1024 * 1024, p.maxTokenRate);
        assertEquals(1024L * 1024, p.maxBucketSize);
        assertEquals(Set.of(SERVICETYPE_BESTEFFORT, SERVICETYPE_CONTROLLEDLOAD, SERVICETYPE_GUARANTEED),
                p.offeredServiceTypes);
    }

    @Test
    public void scopeEntriesAndServiceTypeSpellings() {
        QosPolicy p = QosPolicy.parse(7, new String[] {" tcp/eth0 = 1250000 ", "", "tcp=0"}, 5, 5,
                new String[] {"servicetype_guaranteed", " BESTEFFORT", ""});
        assertEquals(1_250_000, p.capacityOf("tcp/eth0"));
        assertEquals(0, p.capacityOf("tcp"));
        assertEquals(7, p.capacityOf("udp"));
        assertEquals(Set.of(SERVICETYPE_GUARANTEED, SERVICETYPE_BESTEFFORT), p.offeredServiceTypes);
    }

    @Test
    public void badValuesAreNamed() {
        assertBad("defaultCapacity", () -> QosPolicy.parse(-1, new String[0], 1, 1, new String[0]));
        assertBad("'noequals'", () -> QosPolicy.parse(1, new String[] {"noequals"}, 1, 1, new String[0]));
        assertBad("'=5'", () -> QosPolicy.parse(1, new String[] {"=5"}, 1, 1, new String[0]));
        assertBad("'tcp=-5'", () -> QosPolicy.parse(1, new String[] {"tcp=-5"}, 1, 1, new String[0]));
        assertBad("twice", () -> QosPolicy.parse(1, new String[] {"tcp=5", "tcp=6"}, 1, 1, new String[0]));
        assertBad("maxTokenRate", () -> QosPolicy.parse(1, new String[0], 0, 1, new String[0]));
        assertBad("maxTokenRate", () -> QosPolicy.parse(1, new String[0], 0xFFFFFFFEL, 1, new String[0]));
        assertBad("maxBucketSize", () -> QosPolicy.parse(1, new String[0], 1, 0, new String[0]));
        assertBad("'QUALITATIVE'", () -> QosPolicy.parse(1, new String[0], 1, 1, new String[] {"QUALITATIVE"}));
    }

    private static void assertBad(String named, Runnable parse) {
        try {
            parse.run();
            fail("accepted a bad " + named);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(named));
        }
    }

    @Test
    public void componentActivatesWithoutConfiguration() {
        AdmissionControl service = new AdmissionControl();
        service.activate(Configs.config(Map.of()));
        assertEquals(10L * 1024 * 1024, service.remainingCapacity("any"));
    }
}
