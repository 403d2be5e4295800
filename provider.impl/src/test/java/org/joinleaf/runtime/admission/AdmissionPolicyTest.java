package org.joinleaf.runtime.admission;

import static org.joinleaf.api.Winsock2.CF_ACCEPT;
import static org.joinleaf.api.Winsock2.CF_REJECT;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.InputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.WSABUF;
import org.joinleaf.api.WSAPEERIDENTITY;
import org.joinleaf.spi.config.BadConfigurationException;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The default condition's criteria (reliability.md threats "unauthenticated join", "spoofed leaf", "hostile caller
 * data"): identity required, fingerprints, CIDR ranges, FileInstall lists, bad configuration, safe log lines.
 */
public class AdmissionPolicyTest {
    private static final WSAPEERIDENTITY ALICE = identity("alice.pem");
    private static final WSAPEERIDENTITY BOB = identity("bob.pem");
    private static final SOCKADDR LOOPBACK = SOCKADDR.of("127.0.0.1", 40000);

    private final List<String> logged = new ArrayList<>();
    private final Logger log = Logger.getLogger(AdmissionPolicy.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (logged) {
                logged.add(new java.util.logging.SimpleFormatter().formatMessage(record));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private java.util.logging.Level levelBefore;

    @Before
    public void captureLog() {
        levelBefore = log.getLevel();
        log.setLevel(java.util.logging.Level.INFO); // the unit tests' logging.properties shows warnings only
        log.setUseParentHandlers(false);
        log.addHandler(capture);
    }

    @After
    public void releaseLog() {
        log.removeHandler(capture);
        log.setUseParentHandlers(true);
        log.setLevel(levelBefore);
    }

    private static WSAPEERIDENTITY identity(String pem) {
        try (InputStream in = AdmissionPolicyTest.class.getResourceAsStream(pem)) {
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return new WSAPEERIDENTITY(List.of(c), "TLSv1.3", "TLS_AES_128_GCM_SHA256");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static int judge(AdmissionPolicy policy, WSAPEERIDENTITY who, SOCKADDR from) {
        return policy.applyWithIdentity(who, WSABUF.of(from.toBytes()), WSABUF.of(new byte[] {1, 2}), null, null,
                null, WSABUF.allocate(8), new int[1], 0);
    }

    /** ::ffff:a.b.c.d as an AF_INET6 address (InetAddress would turn it into IPv4). */
    private static SOCKADDR ipv4Mapped(int a, int b, int c, int d) {
        SOCKADDR s = new SOCKADDR();
        s.sa_family = org.joinleaf.api.Winsock2.AF_INET6;
        s.port = 1;
        s.addr = new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, (byte) a, (byte) b, (byte) c, (byte) d};
        return s;
    }

    private static String colons(String hex) {
        return hex.toUpperCase(Locale.ROOT).replaceAll("(..)(?!$)", "$1:");
    }

    @Test // threat "unauthenticated join": requireIdentity defaults to true
    public void defaultsRefuseCallersWithoutIdentityAndAdmitAnyAuthenticatedOne() {
        AdmissionPolicy policy = AdmissionPolicy.configured(Map.of());
        assertEquals(CF_REJECT, judge(policy, null, LOOPBACK));
        assertEquals(CF_ACCEPT, judge(policy, ALICE, LOOPBACK));
        // a plain LPCONDITIONPROC call carries no identity
        assertEquals(CF_REJECT, policy.apply(WSABUF.of(LOOPBACK.toBytes()), null, null, null, null, null, null, 0));
    }

    @Test // decision 14: requireIdentity=false with nothing else configured: Winsock's accept-everything
    public void identityCanBeMadeOptional() {
        AdmissionPolicy policy = AdmissionPolicy.configured(Map.of("requireIdentity", false));
        assertEquals(CF_ACCEPT, judge(policy, null, LOOPBACK));
    }

    @Test // threat "spoofed leaf": only the listed key is admitted; colons and case of the configured value ignored
    public void onlyAllowedFingerprintsAreAdmitted() {
        AdmissionPolicy policy = AdmissionPolicy.configured(Map.of("requireIdentity", false,
                "allowedFingerprints", new String[] {colons(ALICE.fingerprintHex())}));
        assertEquals(CF_ACCEPT, judge(policy, ALICE, LOOPBACK));
        assertEquals(CF_REJECT, judge(policy, BOB, LOOPBACK));
        assertEquals("fingerprints need an identity even when requireIdentity is false", CF_REJECT,
                judge(policy, null, LOOPBACK));
    }

    @Test // threat "spoofed leaf" (policy configuration): FileInstall .cfg lists arrive as one comma separated string
    public void commaSeparatedListsFromCfgFilesAreSplit() {
        AdmissionPolicy policy = AdmissionPolicy.configured(Map.of(
                "allowedFingerprints", new String[] {ALICE.fingerprintHex() + " , " + BOB.fingerprintHex()},
                "allowedAddresses", new String[] {"10.0.0.0/8, 127.0.0.1"}));
        assertEquals(CF_ACCEPT, judge(policy, ALICE, LOOPBACK));
        assertEquals(CF_ACCEPT, judge(policy, BOB, SOCKADDR.of("10.200.1.2", 1)));
        assertEquals(CF_REJECT, judge(policy, BOB, SOCKADDR.of("127.0.0.2", 1)));
    }

    @Test // threat "spoofed leaf": every configured criterion must hold: a good key from a wrong address is refused
    public void addressRangesApplyToIpv4AndIpv6() {
        AdmissionPolicy policy = AdmissionPolicy.configured(Map.of("allowedAddresses",
                new String[] {"192.168.4.0/22", "fd00::/8"}));
        assertEquals(CF_ACCEPT, judge(policy, ALICE, SOCKADDR.of("192.168.7.255", 1)));
        assertEquals(CF_REJECT, judge(policy, ALICE, SOCKADDR.of("192.168.8.0", 1)));
        assertEquals(CF_ACCEPT, judge(policy, ALICE, SOCKADDR.of("fd12::1", 1)));
        assertEquals(CF_REJECT, judge(policy, ALICE, SOCKADDR.of("fe80::1", 1)));
        assertEquals("an IPv4 caller seen by a dual-stack listener", CF_ACCEPT,
                judge(policy, ALICE, ipv4Mapped(192, 168, 5, 1)));
        assertEquals(CF_REJECT, judge(policy, null, SOCKADDR.of("192.168.4.1", 1)));
    }

    // threat "unauthenticated join" (no silent open policy): bad configuration fails activation with the property
    // named
    @Test
    public void badValuesNameTheirProperty() {
        for (Map<String, ?> bad : List.of(Map.of("allowedFingerprints", new String[] {"abc"}),
                Map.of("allowedAddresses", new String[] {"10.0.0.0/33"}),
                Map.of("allowedAddresses", new String[] {"gateway.example"}))) {
            try {
                AdmissionPolicy.configured(bad);
                fail("accepted " + bad);
            } catch (BadConfigurationException e) { // issue 12 item 4: PID, key, value and rule
                String key = bad.keySet().iterator().next();
                assertTrue(e.getMessage(), e.getMessage().startsWith("configuration " + AdmissionPolicy.PID + ": "
                        + key + "=" + Arrays.toString((String[]) bad.get(key)) + " refused ("));
            }
        }
    }

    @Test // threat "hostile caller data": one INFO line per refusal, no control character from the subject
    public void refusalIsLoggedOnceWithTheSubjectEscaped() {
        WSAPEERIDENTITY evil = identity("evil.pem");
        assertTrue("the test certificate carries a newline", evil.subject().contains("\n"));
        AdmissionPolicy policy = AdmissionPolicy.configured(Map.of("allowedFingerprints",
                new String[] {ALICE.fingerprintHex()}));
        assertEquals(CF_REJECT, judge(policy, evil, LOOPBACK));
        synchronized (logged) {
            assertEquals(logged.toString(), 1, logged.size());
            String line = logged.get(0);
            assertTrue(line, line.contains("127.0.0.1") && line.contains("CN=evil\\u000aINFO: forged\\u001b[31m"));
            assertFalse(line, line.chars().anyMatch(Character::isISOControl));
        }
    }

    // threat "spoofed leaf" (identity only from the key): identity value semantics: equal on the fingerprint, copies
    // out, safe toString
    @Test
    public void identityIsImmutableAndEqualOnItsFingerprint() {
        assertEquals(ALICE, identity("alice.pem"));
        assertFalse(ALICE.equals(BOB));
        byte[] fp = ALICE.sha256Fingerprint();
        fp[0] ^= 1;
        assertEquals(identity("alice.pem").fingerprintHex(), ALICE.fingerprintHex());
        assertEquals(64, ALICE.fingerprintHex().length());
        assertFalse(identity("evil.pem").toString().chars().anyMatch(Character::isISOControl));
    }
}
