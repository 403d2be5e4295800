package org.joinleaf.tcp;

import org.joinleaf.tcp.session.TcpSettings;
import org.joinleaf.tcp.tls.TlsMode;
import org.joinleaf.tcp.tls.TlsSettings;
import org.junit.AfterClass;
import org.junit.BeforeClass;

/** A provider fixture whose roots require MUTUAL_TLS: the root's key, trusting only the leaf's certificate. */
abstract class MutualTlsFixture extends ProviderFixture {
    static TestPki pki;

    @BeforeClass
    public static void makeIdentities() throws Exception {
        pki = TestPki.create("root", "leaf");
    }

    @AfterClass
    public static void dropIdentities() throws Exception {
        pki.close();
    }

    /** MUTUAL_TLS settings whose join and opening-frame deadlines are {@code deadlineMillis}. */
    static TcpSettings.Builder mutualTls(int deadlineMillis) {
        TcpSettings.Builder b = TcpSettings.builder();
        try {
            b.tls = TlsSettings.of(TlsMode.MUTUAL_TLS, pki.keyStore("root").toString(), TestPki.PASSWORD,
                    pki.trustStore("leaf").toString(), TestPki.PASSWORD);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        b.joinTimeoutMillis = deadlineMillis;
        b.openingFrameTimeoutMillis = deadlineMillis;
        return b;
    }
}
