package org.joinleaf.bench.tcp;

import static org.joinleaf.api.Winsock2.FIONREAD;
import static org.joinleaf.api.Winsock2.JL_BOTH;
import static org.joinleaf.api.Winsock2.WSAECONNREFUSED;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSAError;
import org.joinleaf.bench.Benchmark;
import org.joinleaf.bench.Measurement;
import org.joinleaf.bench.RunSettings;
import org.joinleaf.runtime.admission.AdmissionPolicy;
import org.joinleaf.tcp.TestPki;
import org.joinleaf.tcp.session.TcpSettings;
import org.joinleaf.tcp.tls.TlsMode;
import org.joinleaf.tcp.tls.TlsSettings;

/**
 * Scorecard 7 (reliability.md): unauthorised joins against a mutual-TLS root whose default condition is the
 * admission policy (only the "leaf" certificate allowed). For each kind of intruder, {@code bench.security.joins}
 * [200] blocking joins in a row: every one must fail with {@code WSAECONNREFUSED} within 1 s and deliver 0 bytes to
 * the root's application, after {@code bench.security.warmup} [20] unmeasured ones (also counted for PASS). One CSV
 * line per kind; the notes say p50/p99/max refusal latency and PASS or FAIL.
 */
public final class Refusals implements Benchmark {
    private static final long LIMIT_NANOS = 1_000_000_000L;
    private static final int JOINS = Integer.getInteger("bench.security.joins", 200);
    /** Joins per kind done first and not measured: the first TLS handshakes of a JVM load and compile its crypto. */
    private static final int WARMUP = Integer.getInteger("bench.security.warmup", 20);

    /** How an intruder differs from the allowed leaf. */
    private enum Kind {
        NO_CERTIFICATE, UNTRUSTED_CERTIFICATE, PLAIN_TCP, UNTRUSTED_ROOT, FINGERPRINT_NOT_ALLOWED
    }

    @Override
    public void run(RunSettings settings, Consumer<Measurement> sink) throws Exception {
        // "stranger" is trusted by the root but not allowed by its policy; "intruder" is not trusted at all.
        try (TestPki pki = TestPki.create("root", "leaf", "stranger", "intruder")) {
            TlsSettings rootTls = TlsSettings.of(TlsMode.MUTUAL_TLS, pki.keyStore("root").toString(),
                    TestPki.PASSWORD, pki.trustStore("leaf", "stranger").toString(), TestPki.PASSWORD);
            try (TcpStack root = TcpStack.of(settings(rootTls))) {
                root.ws.bindDefaultCondition(AdmissionPolicy.configured(Map.of("allowedFingerprints",
                        new String[] {pki.fingerprint("leaf")})));
                SOCKET listening = root.listeningRoot();
                SOCKADDR address = root.localAddress(listening);
                AtomicInteger admitted = new AtomicInteger();
                Thread acceptor = acceptor(root, listening, admitted);
                try {
                    for (Kind kind : Kind.values()) {
                        sink.accept(measure(kind, intruder(kind, pki), root, listening, address, admitted));
                    }
                } finally {
                    root.ws.closesocket(listening); // ends the acceptor's blocking WSAAccept
                    acceptor.join(5_000);
                }
            }
        }
    }

    private static TcpSettings settings(TlsSettings tls) {
        // TLS, not the join-rate limit, must be what refuses the intruders
        TcpSettings.Builder b = TcpStack.fromOneAddress(TcpStack.settings());
        b.tls = tls;
        return b.build();
    }

    private static TlsSettings intruder(Kind kind, TestPki pki) throws Exception {
        Path trustsRoot = pki.trustStore("root");
        switch (kind) {
            case NO_CERTIFICATE: // TLS mode: the client presents no certificate
                return TlsSettings.of(TlsMode.TLS, pki.keyStore("leaf").toString(), TestPki.PASSWORD,
                        trustsRoot.toString(), TestPki.PASSWORD);
            case UNTRUSTED_CERTIFICATE:
                return mutual(pki, "intruder", trustsRoot);
            case PLAIN_TCP:
                return TlsSettings.OFF;
            case UNTRUSTED_ROOT: // the allowed leaf, but it does not trust this root
                return mutual(pki, "leaf", pki.trustStore("intruder"));
            default: // FINGERPRINT_NOT_ALLOWED: TLS succeeds, the admission policy refuses
                return mutual(pki, "stranger", trustsRoot);
        }
    }

    private static TlsSettings mutual(TestPki pki, String who, Path trust) {
        return TlsSettings.of(TlsMode.MUTUAL_TLS, pki.keyStore(who).toString(), TestPki.PASSWORD, trust.toString(),
                TestPki.PASSWORD);
    }

    /** The root's application: WSAAccept without a condition function, so the admission policy judges. */
    private static Thread acceptor(TcpStack root, SOCKET listening, AtomicInteger admitted) {
        Thread t = new Thread(() -> {
            while (true) {
                SOCKET s = root.ws.WSAAccept(listening, null, null, null, 0);
                if (!SOCKET.INVALID_SOCKET.equals(s)) {
                    admitted.incrementAndGet();
                    root.ws.closesocket(s);
                } else if (root.ws.WSAGetLastError() != WSAECONNREFUSED) {
                    return; // the listening socket was closed
                }
            }
        }, "bench-security-acceptor");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static Measurement measure(Kind kind, TlsSettings tls, TcpStack root, SOCKET listening,
                                       SOCKADDR address, AtomicInteger admitted) throws IOException {
        long[] nanos = new long[WARMUP + JOINS];
        int refused = 0;
        String firstOther = "";
        long start = System.nanoTime();
        try (TcpStack leaf = TcpStack.of(settings(tls))) {
            for (int i = 0; i < WARMUP + JOINS; i++) {
                if (i == WARMUP) {
                    start = System.nanoTime();
                }
                SOCKET s = leaf.leafSocket();
                long t = System.nanoTime();
                SOCKET joined = leaf.ws.WSAJoinLeaf(s, address, address.size(), null, null, null, null, JL_BOTH);
                nanos[i] = System.nanoTime() - t;
                int error = leaf.ws.WSAGetLastError();
                if (SOCKET.INVALID_SOCKET.equals(joined) && error == WSAECONNREFUSED) {
                    refused++;
                } else if (firstOther.isEmpty()) {
                    firstOther = SOCKET.INVALID_SOCKET.equals(joined) ? WSAError.describe(error) : "joined";
                }
                leaf.ws.closesocket(s);
            }
        }
        long duration = System.nanoTime() - start;
        int[] pending = {0};
        root.check(root.ws.ioctlsocket(listening, FIONREAD, pending), "ioctlsocket(FIONREAD)");
        long bytes = pending[0];
        Arrays.sort(nanos, WARMUP, nanos.length);
        nanos = Arrays.copyOfRange(nanos, WARMUP, nanos.length);
        boolean pass = refused == WARMUP + JOINS && nanos[JOINS - 1] <= LIMIT_NANOS && bytes == 0 && admitted.get() == 0;
        String notes = String.format(Locale.ROOT, "%s;refused=%d/%d;warmup=%d;p50_ms=%.2f;p99_ms=%.2f;max_ms=%.2f;"
                        + "bytes_delivered=%d;members_admitted=%d;limit=1000ms%s", pass ? "PASS" : "FAIL", refused,
                WARMUP + JOINS, WARMUP, Joins.percentile(nanos, 50) / 1e6, Joins.percentile(nanos, 99) / 1e6, nanos[JOINS - 1] / 1e6,
                bytes, admitted.get(), firstOther.isEmpty() ? "" : ";first_other=" + firstOther.replace(' ', '_')
                        .replace(",", ""));
        return new Measurement("security", kind.name().toLowerCase(Locale.ROOT).replace('_', '-'), 1, 0, JOINS,
                bytes, duration, notes);
    }
}
