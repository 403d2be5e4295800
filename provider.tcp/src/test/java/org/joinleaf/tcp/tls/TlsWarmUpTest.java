package org.joinleaf.tcp.tls;

import static org.junit.Assert.assertTrue;

import org.joinleaf.tcp.TestPki;
import org.junit.Test;

/**
 * Decision 41 (issue 11 item 7, MUTUAL_TLS partial-record case): the first legitimate handshake must not be the JVM's
 * cold one, so building a transport's TLS contexts completes one handshake in memory ({@link TlsWarmUp}), with the
 * client's certificate under MUTUAL_TLS, also when the node's trust store does not hold its own certificate (a leaf
 * trusts only its root).
 */
public class TlsWarmUpTest {
    @Test
    public void contextsAreWarmedByAHandshakeWhateverTheTrustStoreHolds() throws Exception {
        try (TestPki pki = TestPki.create("root", "leaf")) {
            String leafKeys = pki.keyStore("leaf").toString();
            String trustsRoot = pki.trustStore("root").toString();
            assertTrue("MUTUAL_TLS", TlsContexts.from(TlsSettings.of(TlsMode.MUTUAL_TLS, leafKeys, TestPki.PASSWORD,
                    trustsRoot, TestPki.PASSWORD)).warmedUp());
            assertTrue("TLS", TlsContexts.from(TlsSettings.of(TlsMode.TLS, leafKeys, TestPki.PASSWORD, trustsRoot,
                    TestPki.PASSWORD)).warmedUp());
        }
    }
}
