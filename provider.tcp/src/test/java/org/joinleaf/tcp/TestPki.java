package org.joinleaf.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Self-signed PKCS12 identities made by the JDK's {@code keytool} in a temporary folder (no BouncyCastle, nothing
 * checked in), and trust stores built from their certificates. keytool is slow (about 1.5 s a run), so a test class
 * makes all its identities once, in parallel, with {@link #create}.
 *
 * <p>Shared with the bench and the Felix tests through provider.tcp's test jar.
 */
public final class TestPki implements AutoCloseable {
    /** The password of every store and key. */
    public static final String PASSWORD = "changeit";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

    private final Path dir;

    private TestPki(Path dir) {
        this.dir = dir;
    }

    /** One self-signed EC identity per name ({@code CN=<name>}), {@code <name>.p12} in a new temporary folder. */
    public static TestPki create(String... names) throws IOException, InterruptedException {
        TestPki pki = new TestPki(Files.createTempDirectory("joinleaf-pki"));
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        List<Process> runs = new ArrayList<>();
        for (String name : names) {
            runs.add(new ProcessBuilder(keytool, "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname",
                    "secp256r1", "-sigalg", "SHA256withECDSA", "-dname", "CN=" + name + ", O=joinleaf test",
                    "-validity", "2", "-storetype", "PKCS12", "-keystore", pki.keyStore(name).toString(),
                    "-storepass", PASSWORD, "-keypass", PASSWORD, "-noprompt")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }
        for (int i = 0; i < runs.size(); i++) {
            Process p = runs.get(i);
            if (!p.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("keytool did not finish within " + KEYTOOL_TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new IOException("keytool failed (exit " + p.exitValue() + ") for " + names[i]);
            }
        }
        return pki;
    }

    /** The folder holding the stores. */
    public Path dir() {
        return dir;
    }

    /** The PKCS12 keystore of {@code name}: its key and self-signed certificate. */
    public Path keyStore(String name) {
        return dir.resolve(name + ".p12");
    }

    /** The certificate of {@code name}. */
    public X509Certificate certificate(String name) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore(name))) {
            store.load(in, PASSWORD.toCharArray());
        }
        return (X509Certificate) store.getCertificate(name);
    }

    /** SHA-256 of {@code name}'s certificate, lowercase hex (what WSAPEERIDENTITY.fingerprintHex() says). */
    public String fingerprint(String name) throws IOException, GeneralSecurityException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate(name).getEncoded()));
    }

    /** A PKCS12 trust store holding exactly the certificates of {@code names}. */
    public Path trustStore(String... names) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (String name : names) {
            store.setCertificateEntry(name, certificate(name));
        }
        Path file = dir.resolve("trust-" + String.join("-", names) + ".p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD.toCharArray());
        }
        return file;
    }

    /** Deletes the folder. */
    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
