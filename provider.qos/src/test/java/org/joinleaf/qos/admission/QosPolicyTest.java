package org.joinleaf.qos.admission;

import static org.joinleaf.api.Winsock2.SERVICETYPE_BESTEFFORT;
import static org.joinleaf.api.Winsock2.SERVICETYPE_CONTROLLEDLOAD;
import static org.joinleaf.api.Winsock2.SERVICETYPE_GUARANTEED;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.Map;
import java.util.Set;
import org.joinleaf.spi.config.BadConfigurationException;
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
        QosPolicy p = QosPolicy.from(Configs.config(Map.of("defaultCapacity", 7, "scopeCapacities",
                new String[] {" tcp/eth0 = 1250000 ", "", "tcp=0"}, "maxTokenRate", 5, "maxBucketSize", 5,
                "offeredServiceTypes", new String[] {"servicetype_guaranteed", " BESTEFFORT", ""})));
        assertEquals(1_250_000, p.capacityOf("tcp/eth0"));
        assertEquals(0, p.capacityOf("tcp"));
        assertEquals(7, p.capacityOf("udp"));
        assertEquals(Set.of(SERVICETYPE_GUARANTEED, SERVICETYPE_BESTEFFORT), p.offeredServiceTypes);
    }

    @Test
    public void commaListsFromACfgFileAreSplit() {
        // FileInstall .cfg files give a list as one string
        QosPolicy p = QosPolicy.from(Configs.config(Map.of("defaultCapacity", 7, "scopeCapacities",
                new String[] {"tcp=100, udp=200"}, "maxTokenRate", 5, "maxBucketSize", 5, "offeredServiceTypes", new String[] {"BESTEFFORT,CONTROLLEDLOAD"})));
        assertEquals(100, p.capacityOf("tcp"));
        assertEquals(200, p.capacityOf("udp"));
        assertEquals(Set.of(SERVICETYPE_BESTEFFORT, SERVICETYPE_CONTROLLEDLOAD), p.offeredServiceTypes);
    }

    /** Issue 12 item 4: a bad value is refused naming PID, key, value and the range or rule. */
    @Test
    public void badValuesAreNamed() {
        assertBad("defaultCapacity=-1 refused (allowed range 0..)", Map.of("defaultCapacity", -1));
        assertBad("'noequals'", Map.of("scopeCapacities", "noequals"));
        assertBad("'=5'", Map.of("scopeCapacities", "=5"));
        assertBad("'tcp=-5'", Map.of("scopeCapacities", "tcp=-5"));
        assertBad("twice", Map.of("scopeCapacities", new String[] {"tcp=5", "tcp=6"}));
        assertBad("maxTokenRate=0 refused (allowed range 1..4294967293)", Map.of("maxTokenRate", 0));
        assertBad("maxTokenRate", Map.of("maxTokenRate", 0xFFFFFFFEL));
        assertBad("maxBucketSize", Map.of("maxBucketSize", 0));
        assertBad("'QUALITATIVE'", Map.of("offeredServiceTypes", "QUALITATIVE"));
    }

    private static void assertBad(String named, Map<String, Object> values) {
        try {
            QosPolicy.from(Configs.config(values));
            fail("accepted a bad " + named);
        } catch (BadConfigurationException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(named));
            assertTrue(e.getMessage(), e.getMessage().startsWith("configuration " + AdmissionControl.PID + ": "));
        }
    }

    @Test
    public void componentActivatesWithoutConfiguration() {
        AdmissionControl service = new AdmissionControl();
        service.activate(Configs.config(Map.of()));
        assertEquals(10L * 1024 * 1024, service.remainingCapacity("any"));
    }
}
