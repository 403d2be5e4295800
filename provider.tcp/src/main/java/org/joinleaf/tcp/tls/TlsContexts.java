package org.joinleaf.tcp.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;
import org.joinleaf.api.WSAPEERIDENTITY;
import org.joinleaf.spi.config.BadConfigurationException;
import org.joinleaf.tcp.TcpProvider;

/**
 * The TLS contexts of one transport, built once from {@link TlsSettings} with the JDK provider and the keystores:
 * the side that opened TCP is the TLS client, the listening side the server (requiring the client's certificate in
 * {@link TlsMode#MUTUAL_TLS}). Trust is exactly the trust store's certificates; host names are not checked: a
 * peer is who its key proves it is, never what its address or name says.
 *
 * <p>Built on the activating thread, with one handshake in memory ({@link TlsWarmUp}), so that the first peer's
 * handshake is not the JVM's cold one.
 *
 * <p>Pitfall: a bad store (missing file, wrong password, unreadable) throws {@link IllegalArgumentException} naming
 * the property, so the component's activation fails with a message an operator can act on.
 */
public final class TlsContexts {
    /** No TLS. */
    public static final TlsContexts OFF = new TlsContexts(TlsMode.OFF, null, null, false);

    private final TlsMode mode;
    private final SslContext client;
    private final SslContext server;
    private final boolean warm;

    private TlsContexts(TlsMode mode, SslContext client, SslContext server, boolean warm) {
        this.mode = mode;
        this.client = client;
        this.server = server;
        this.warm = warm;
    }

    /** @throws BadConfigurationException naming the property that is wrong */
    public static TlsContexts from(TlsSettings settings) {
        if (settings.mode() == TlsMode.OFF) {
            return OFF;
        }
        KeyStore keys = load("keyStore", settings.keyStore(), ".keyStorePassword", settings.keyStorePassword(),
                settings.keyStoreType());
        KeyStore trusted = load("trustStore", settings.trustStore(), ".trustStorePassword",
                settings.trustStorePassword(), settings.keyStoreType());
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, settings.keyStorePassword().toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            boolean mutual = settings.mode() == TlsMode.MUTUAL_TLS;
            SslContextBuilder client = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                    .trustManager(tmf).protocols(settings.protocols()).endpointIdentificationAlgorithm(null);
            if (mutual) {
                client.keyManager(kmf);
            }
            SslContext server = SslContextBuilder.forServer(kmf).sslProvider(SslProvider.JDK).trustManager(tmf)
                    .protocols(settings.protocols()).clientAuth(mutual ? ClientAuth.REQUIRE : ClientAuth.NONE)
                    .build();
            return new TlsContexts(settings.mode(), client.build(), server,
                    TlsWarmUp.run(kmf, keys, settings.protocols(), mutual));
        } catch (UnrecoverableKeyException e) {
            throw refused(".keyStorePassword", "(hidden)", "does not unlock the key in keyStore "
                    + settings.keyStore() + " (the key needs the store's password)");
        } catch (GeneralSecurityException | SSLException e) {
            throw refused("tlsProtocols", String.valueOf(settings.protocols()), "cannot build TLS from keyStore "
                    + settings.keyStore() + " and trustStore " + settings.trustStore() + ": " + e.getMessage());
        }
    }

    private static KeyStore load(String property, String path, String passwordProperty, String password,
                                 String type) {
        if (path.isEmpty()) {
            throw refused(property, path, "must name a " + type + " file when tlsMode is not OFF");
        }
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password.toCharArray());
            if (store.size() == 0) {
                throw refused(property, path, "the store holds no entry");
            }
            return store;
        } catch (NoSuchFileException e) {
            throw refused(property, path, "no such file");
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw refused(passwordProperty, "(hidden)", "wrong password for " + property + " " + path);
            }
            throw refused(property, path, "cannot read it as " + type + " (" + e.getMessage()
                    + "); check the file, keyStoreType and " + passwordProperty);
        } catch (GeneralSecurityException e) {
            throw refused(property, path, "cannot load it as " + type + ": " + e.getMessage());
        }
    }

    private static BadConfigurationException refused(String key, String shown, String rule) {
        return new BadConfigurationException(TcpProvider.PID, key, shown, rule);
    }

    public TlsMode mode() {
        return mode;
    }

    /** True when the JVM's TLS code was warmed by a handshake in memory as these contexts were built (tests). */
    public boolean warmedUp() {
        return warm;
    }

    /**
     * A handler for a new connection, to go first in its pipeline, or {@code null} when TLS is off. Its own
     * handshake timeout is off: the connection's absolute join deadline bounds the handshake. A record spanning
     * reads is gathered in a buffer of its own size ({@link TlsRecordCumulator}).
     *
     * @param client true on the side that opened TCP
     */
    public SslHandler newHandler(ByteBufAllocator alloc, boolean client) {
        if (mode == TlsMode.OFF) {
            return null;
        }
        SslHandler handler = (client ? this.client : server).newHandler(alloc);
        handler.setHandshakeTimeoutMillis(0);
        handler.setCumulator(TlsRecordCumulator.INSTANCE);
        return handler;
    }

    /**
     * The authenticated peer of {@code channel}: its certificate chain from a finished TLS handshake, or
     * {@code null} without TLS or when the peer presented no certificate.
     */
    public static WSAPEERIDENTITY peerIdentity(Channel channel) {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return null;
        }
        SSLSession session = ssl.engine().getSession();
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : session.getPeerCertificates()) {
                if (c instanceof X509Certificate x509) {
                    chain.add(x509);
                }
            }
            return chain.isEmpty() ? null : new WSAPEERIDENTITY(chain, session.getProtocol(), session.getCipherSuite());
        } catch (SSLPeerUnverifiedException notAuthenticated) {
            return null;
        }
    }

    /** True when {@code cause} or one of its causes is a TLS failure (handshake, alert, or a non-TLS peer). */
    public static boolean isTlsFailure(Throwable cause) {
        for (Throwable c = cause; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SSLException) {
                return true;
            }
        }
        return false;
    }
}
