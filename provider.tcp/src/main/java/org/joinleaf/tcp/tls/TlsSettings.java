package org.joinleaf.tcp.tls;

import java.util.List;
import org.joinleaf.spi.config.ConfigValues;
import org.joinleaf.spi.config.ListValues;
import org.joinleaf.tcp.TcpProviderConfig;

/**
 * The TLS part of the provider's configuration, as values (see {@link TlsContexts#from} for what they build).
 * Passwords are held as strings because Config Admin delivers them so.
 *
 * @param mode               {@link TlsMode#OFF} ignores every other value
 * @param keyStore           path of the keystore with this side's key and certificate chain
 * @param keyStorePassword   its password (also the key's password)
 * @param keyStoreType       keystore type of both stores, e.g. PKCS12
 * @param trustStore         path of the keystore whose certificates this side trusts
 * @param trustStorePassword its password
 * @param protocols          TLS protocol versions offered, e.g. TLSv1.3, TLSv1.2
 */
public record TlsSettings(TlsMode mode, String keyStore, String keyStorePassword, String keyStoreType,
                          String trustStore, String trustStorePassword, List<String> protocols) {
    private static final TcpProviderConfig DEFAULTS = ConfigValues.defaults(TcpProviderConfig.class);
    /** Plain TCP: the Metatype defaults of the TLS attributes. */
    public static final TlsSettings OFF = new TlsSettings(DEFAULTS.tlsMode(), DEFAULTS.keyStore(),
            DEFAULTS._keyStorePassword(), DEFAULTS.keyStoreType(), DEFAULTS.trustStore(),
            DEFAULTS._trustStorePassword(), ListValues.of(DEFAULTS.tlsProtocols()));

    public TlsSettings {
        if (mode == null) {
            throw new IllegalArgumentException("tlsMode must be OFF, TLS or MUTUAL_TLS");
        }
        keyStore = keyStore == null ? "" : keyStore.trim();
        keyStorePassword = keyStorePassword == null ? "" : keyStorePassword;
        keyStoreType = keyStoreType == null || keyStoreType.isBlank() ? DEFAULTS.keyStoreType() : keyStoreType.trim();
        trustStore = trustStore == null ? "" : trustStore.trim();
        trustStorePassword = trustStorePassword == null ? "" : trustStorePassword;
        protocols = protocols == null ? List.of() : protocols.stream().map(String::trim).filter(p -> !p.isEmpty())
                .toList();
        if (mode != TlsMode.OFF && protocols.isEmpty()) {
            throw new IllegalArgumentException("tlsProtocols must name at least one protocol, e.g. TLSv1.3");
        }
    }

    /** Settings for {@code mode} with one store type and the default protocols. */
    public static TlsSettings of(TlsMode mode, String keyStore, String keyStorePassword, String trustStore,
                                 String trustStorePassword) {
        return new TlsSettings(mode, keyStore, keyStorePassword, OFF.keyStoreType(), trustStore, trustStorePassword,
                OFF.protocols());
    }

    @Override
    public String toString() { // never the passwords
        return "TlsSettings[" + mode + ", keyStore=" + keyStore + ", trustStore=" + trustStore + ", " + protocols
                + "]";
    }
}
