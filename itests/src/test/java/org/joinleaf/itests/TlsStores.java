package org.joinleaf.itests;

import java.io.IOException;
import java.util.Map;
import org.joinleaf.tcp.TestPki;

/**
 * The keystores of {@link TlsIT}, made by keytool outside the framework (TestPki is not visible inside it): their
 * paths and fingerprints as the system properties the test reads. Deleted when the JVM ends.
 */
final class TlsStores {
    static final String KEYSTORE = "joinleaf.it.tls.keyStore";
    static final String TRUSTSTORE = "joinleaf.it.tls.trustStore";
    static final String MEMBER_FINGERPRINT = "joinleaf.it.tls.member";
    static final String STRANGER_FINGERPRINT = "joinleaf.it.tls.stranger";
    static final String PASSWORD = TestPki.PASSWORD;

    private TlsStores() {
    }

    /** "member" (trusted, used by both root and leaf) and "stranger" (only its fingerprint is used). */
    static Map<String, String> make() throws Exception {
        TestPki pki = TestPki.create("member", "stranger");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> { // the stores outlive the framework, not the JVM
            try {
                pki.close();
            } catch (IOException e) {
                System.err.println("TlsIT: could not delete " + pki.dir() + ": " + e);
            }
        }));
        return Map.of(KEYSTORE, pki.keyStore("member").toString(),
                TRUSTSTORE, pki.trustStore("member").toString(),
                MEMBER_FINGERPRINT, pki.fingerprint("member"),
                STRANGER_FINGERPRINT, pki.fingerprint("stranger"));
    }
}
