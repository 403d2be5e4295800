package org.joinleaf.tcp.tls;

import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import org.joinleaf.tcp.TestPki;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Issue 11 item 7 (MUTUAL_TLS partial-record case): the first legitimate handshake must not be the JVM's cold one, so
 * building a transport's TLS contexts completes one handshake in memory ({@link TlsWarmUp}), also when the node's
 * trust store does not hold its own certificate (a leaf trusts only its root).
 */
public class TlsWarmUpTest {
    private static TestPki pki;
    private static Path leafKeys;
    private static Path trustsRoot;

    @BeforeClass
    public static void identities() throws Exception {
        pki = TestPki.create("root", "leaf");
        leafKeys = pki.keyStore("leaf");
        trustsRoot = pki.trustStore("root");
    }

    @AfterClass
    public static void cleanUp() throws Exception {
        pki.close();
    }

    @Test
    public void mutualTlsContextsAreWarmedByAHandshakeWithTheClientCertificate() {
        assertTrue(TlsContexts.from(TlsSettings.of(TlsMode.MUTUAL_TLS, leafKeys.toString(), TestPki.PASSWORD,
                trustsRoot.toString(), TestPki.PASSWORD)).warmedUp());
    }

    @Test
    public void tlsContextsAreWarmedByAHandshake() {
        assertTrue(TlsContexts.from(TlsSettings.of(TlsMode.TLS, leafKeys.toString(), TestPki.PASSWORD,
                trustsRoot.toString(), TestPki.PASSWORD)).warmedUp());
    }
}
