package org.joinleaf.api;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The authenticated peer of a connection (a joinleaf extension beside Winsock's caller data): who proved, in a TLS
 * handshake, that it holds the private key of the first certificate of {@link #certificates()}, a chain the local
 * trust store accepted.
 *
 * <p>The identity comes only from that key: never from the peer's IP address, host name or caller data, all of
 * which a peer chooses freely. Compare {@link #sha256Fingerprint()} (or {@link #fingerprintHex()}) to decide who a
 * peer is; {@link #subject()} is for people and logs.
 *
 * <p>Immutable; equal when the fingerprints are equal. {@link #toString()} is safe to log: control characters of
 * the subject are escaped.
 */
public final class WSAPEERIDENTITY {
    private final List<X509Certificate> certificates;
    private final byte[] fingerprint;
    private final String protocol;
    private final String cipherSuite;

    /**
     * @param chain       the peer's certificate chain, its own certificate first (not empty)
     * @param protocol    the negotiated TLS protocol, e.g. {@code TLSv1.3}
     * @param cipherSuite the negotiated cipher suite
     * @throws IllegalArgumentException when the chain is empty or its first certificate cannot be encoded
     */
    public WSAPEERIDENTITY(List<X509Certificate> chain, String protocol, String cipherSuite) {
        if (chain == null || chain.isEmpty()) {
            throw new IllegalArgumentException("a peer identity needs at least the peer's own certificate");
        }
        this.certificates = List.copyOf(chain);
        this.fingerprint = sha256(certificates.get(0));
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.cipherSuite = Objects.requireNonNull(cipherSuite, "cipherSuite");
    }

    private static byte[] sha256(X509Certificate certificate) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("cannot fingerprint the peer certificate: " + e.getMessage(), e);
        }
    }

    /** The peer certificate's subject, RFC 2253. */
    public String subject() {
        return certificates.get(0).getSubjectX500Principal().getName();
    }

    /** The peer certificate's issuer, RFC 2253. */
    public String issuer() {
        return certificates.get(0).getIssuerX500Principal().getName();
    }

    /** SHA-256 of the peer certificate's DER encoding (a copy). */
    public byte[] sha256Fingerprint() {
        return fingerprint.clone();
    }

    /** {@link #sha256Fingerprint()} as lowercase hex without separators. */
    public String fingerprintHex() {
        return HexFormat.of().formatHex(fingerprint);
    }

    /** The peer's chain, its own certificate first (a copy). */
    public List<X509Certificate> certificates() {
        return certificates;
    }

    /** The negotiated TLS protocol, e.g. {@code TLSv1.3}. */
    public String protocol() {
        return protocol;
    }

    /** The negotiated cipher suite. */
    public String cipherSuite() {
        return cipherSuite;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WSAPEERIDENTITY other && Arrays.equals(fingerprint, other.fingerprint);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(fingerprint);
    }

    @Override
    public String toString() {
        return "WSAPEERIDENTITY[" + escape(subject()) + ", sha256=" + fingerprintHex() + ", " + protocol + "]";
    }

    /** {@code s} with every control character as {@code \\uXXXX}, so it cannot forge or break a log line. */
    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
