package org.joinleaf.tcp.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * One TLS handshake in memory, on the activating thread, between a client and a server built like a transport's own
 * (same key, protocols and client authentication; trusting the key's own certificate, so it completes whatever the
 * trust store holds). Why: the JVM's first handshake loads and initialises the TLS, certificate-path and signature
 * code, about 375 ms server side at load 20; under a flood that pushed a legitimate {@code MUTUAL_TLS} join past
 * the 1 s opening deadline (issue 11 item 7). Warmed at activation, the first peer pays what every later one pays.
 * Bounded in steps; a warm-up that does not finish changes nothing but the first peer's wait (decision 41).
 */
final class TlsWarmUp {
    /** Wrap/unwrap rounds at most: a TLS 1.2 or 1.3 handshake needs fewer than ten. */
    static final int MAX_ROUNDS = 32;

    private TlsWarmUp() {
    }

    /** True when the in-memory handshake finished (with the client's certificate when {@code mutual}). */
    static boolean run(KeyManagerFactory keys, KeyStore keyStore, List<String> protocols, boolean mutual) {
        try {
            TrustManagerFactory own = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            own.init(ownCertificates(keyStore));
            SslContextBuilder client = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(own)
                    .protocols(protocols).endpointIdentificationAlgorithm(null);
            if (mutual) {
                client.keyManager(keys);
            }
            SSLEngine c = client.build().newEngine(ByteBufAllocator.DEFAULT);
            SSLEngine s = SslContextBuilder.forServer(keys).sslProvider(SslProvider.JDK).trustManager(own)
                    .protocols(protocols).clientAuth(mutual ? ClientAuth.REQUIRE : ClientAuth.NONE).build()
                    .newEngine(ByteBufAllocator.DEFAULT);
            return handshake(c, s) && (!mutual || s.getSession().getPeerCertificates().length > 0);
        } catch (GeneralSecurityException | SSLException | RuntimeException e) {
            return false; // only the first peer's handshake stays cold
        }
    }

    private static KeyStore ownCertificates(KeyStore keyStore) throws GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            trusted.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        for (String alias : Collections.list(keyStore.aliases())) {
            if (keyStore.getCertificate(alias) != null) {
                trusted.setCertificateEntry(alias, keyStore.getCertificate(alias));
            }
        }
        return trusted;
    }

    /** Drives both engines until neither is handshaking, at most {@link #MAX_ROUNDS} rounds. */
    static boolean handshake(SSLEngine client, SSLEngine server) throws SSLException {
        int packet = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        int app = Math.max(client.getSession().getApplicationBufferSize(),
                server.getSession().getApplicationBufferSize());
        ByteBuffer toServer = ByteBuffer.allocate(2 * packet);
        ByteBuffer toClient = ByteBuffer.allocate(2 * packet);
        ByteBuffer sink = ByteBuffer.allocate(app);
        ByteBuffer none = ByteBuffer.allocate(0);
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            if (done(client) && done(server)) {
                return true;
            }
            step(client, none, toServer, toClient, sink);
            step(server, none, toClient, toServer, sink);
        }
        return done(client) && done(server);
    }

    /** {@code engine} writes all it has to say into {@code out} and reads all that waits for it in {@code in}. */
    private static void step(SSLEngine engine, ByteBuffer none, ByteBuffer out, ByteBuffer in, ByteBuffer sink)
            throws SSLException {
        for (int i = 0; i < MAX_ROUNDS && engine.wrap(none, out).bytesProduced() > 0; i++) {
            runTasks(engine);
        }
        runTasks(engine);
        in.flip();
        for (int i = 0; i < MAX_ROUNDS && in.hasRemaining(); i++) {
            SSLEngineResult r = engine.unwrap(in, sink);
            sink.clear();
            runTasks(engine);
            if (r.bytesConsumed() == 0) {
                break;
            }
        }
        in.compact();
    }

    private static void runTasks(SSLEngine engine) {
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
        }
    }

    private static boolean done(SSLEngine engine) {
        HandshakeStatus s = engine.getHandshakeStatus();
        return s == HandshakeStatus.NOT_HANDSHAKING || s == HandshakeStatus.FINISHED;
    }
}
