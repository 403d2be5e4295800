package org.joinleaf.runtime.admission;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.joinleaf.api.WSAPEERIDENTITY;

/**
 * The validated criteria of an {@link AdmissionPolicy}, immutable. {@link #refusal} says why a caller does not meet
 * them, or {@code null} when it does.
 */
record AdmissionRules(Set<String> fingerprints, List<CidrRange> addresses, boolean requireIdentity) {
    private static final int SHA256_HEX_LENGTH = 64;

    /** @throws IllegalArgumentException naming the property and the bad value */
    static AdmissionRules from(AdmissionConfig config) {
        Set<String> fingerprints = listed(config.allowedFingerprints()).stream().map(AdmissionRules::fingerprint)
                .collect(Collectors.toUnmodifiableSet());
        List<CidrRange> addresses;
        try {
            addresses = listed(config.allowedAddresses()).stream().map(CidrRange::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("allowedAddresses: " + e.getMessage(), e);
        }
        return new AdmissionRules(fingerprints, addresses, config.requireIdentity());
    }

    /** Elements, each also split at commas: a FileInstall .cfg file can only give a list as one string. */
    private static List<String> listed(String[] values) {
        return values == null ? List.of() : Arrays.stream(values).flatMap(v -> Arrays.stream(v.split(",")))
                .map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    /** Lowercase hex without separators; colons, spaces and case in the configured value are ignored. */
    private static String fingerprint(String configured) {
        String hex = configured.replace(":", "").replace(" ", "").toLowerCase(Locale.ROOT);
        if (hex.length() != SHA256_HEX_LENGTH || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("allowedFingerprints: '" + configured
                    + "' is not a SHA-256 fingerprint (64 hex digits, colons allowed)");
        }
        return HexFormat.of().formatHex(HexFormat.of().parseHex(hex));
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
