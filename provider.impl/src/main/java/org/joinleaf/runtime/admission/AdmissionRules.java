package org.joinleaf.runtime.admission;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.joinleaf.api.WSAPEERIDENTITY;
import org.joinleaf.spi.config.BadConfigurationException;
import org.joinleaf.spi.config.ConfigCheck;
import org.joinleaf.spi.config.ListValues;

/**
 * The validated criteria of an {@link AdmissionPolicy}, immutable. {@link #refusal} says why a caller does not meet
 * them, or {@code null} when it does.
 */
record AdmissionRules(Set<String> fingerprints, List<CidrRange> addresses, boolean requireIdentity) {
    private static final int SHA256_HEX_LENGTH = 64;

    /** @throws BadConfigurationException naming the property and the bad value */
    static AdmissionRules from(AdmissionConfig config) {
        ConfigCheck check = ConfigCheck.of(AdmissionPolicy.PID, config);
        Set<String> fingerprints = new HashSet<>();
        for (String configured : ListValues.of(config.allowedFingerprints())) {
            String hex = configured.replace(":", "").replace(" ", "").toLowerCase(Locale.ROOT);
            if (hex.length() != SHA256_HEX_LENGTH || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw check.refuse("allowedFingerprints", config.allowedFingerprints(), "'" + configured
                        + "' is not a SHA-256 fingerprint (64 hex digits, colons allowed)");
            }
            fingerprints.add(HexFormat.of().formatHex(HexFormat.of().parseHex(hex)));
        }
        List<CidrRange> addresses = new ArrayList<>();
        for (String range : ListValues.of(config.allowedAddresses())) {
            try {
                addresses.add(CidrRange.parse(range));
            } catch (IllegalArgumentException e) {
                throw check.refuse("allowedAddresses", config.allowedAddresses(), e.getMessage());
            }
        }
        return new AdmissionRules(Set.copyOf(fingerprints), List.copyOf(addresses), config.requireIdentity());
    }

    /**
     * Why a caller from {@code address} (4 or 16 bytes, or null) with {@code identity} (null: not authenticated)
     * is refused, or {@code null} when every configured criterion holds.
     */
    String refusal(byte[] address, WSAPEERIDENTITY identity) {
        if (identity == null && (requireIdentity || !fingerprints.isEmpty())) {
            return "the caller is not TLS-authenticated";
        }
        if (!fingerprints.isEmpty() && !fingerprints.contains(identity.fingerprintHex())) {
            return "its certificate fingerprint " + identity.fingerprintHex() + " is not in allowedFingerprints";
        }
        if (!addresses.isEmpty() && addresses.stream().noneMatch(r -> r.contains(address))) {
            return "its address is not in allowedAddresses " + addresses;
        }
        return null;
    }
}
