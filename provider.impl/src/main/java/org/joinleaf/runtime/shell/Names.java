package org.joinleaf.runtime.shell;

import static org.joinleaf.api.Winsock2.*;

import java.util.LinkedHashMap;
import java.util.Map;

/** Winsock's names for address families and socket types, as the shell prints and accepts them. */
final class Names {
    static final Map<Integer, String> FAMILIES =
            names(AF_UNSPEC, "AF_UNSPEC", AF_INET, "AF_INET", AF_INET6, "AF_INET6");
    static final Map<Integer, String> TYPES = names(SOCK_STREAM, "SOCK_STREAM", SOCK_DGRAM, "SOCK_DGRAM",
            SOCK_RAW, "SOCK_RAW", SOCK_RDM, "SOCK_RDM", SOCK_SEQPACKET, "SOCK_SEQPACKET");

    private Names() {
    }

    /** {@code AF_INET}; a value without a name shows as its number. */
    static String family(int af) {
        return FAMILIES.getOrDefault(af, String.valueOf(af));
    }

    /** {@code SOCK_SEQPACKET}; a value without a name shows as its number. */
    static String type(int type) {
        return TYPES.getOrDefault(type, String.valueOf(type));
    }

    private static Map<Integer, String> names(Object... valueName) {
        Map<Integer, String> m = new LinkedHashMap<>();
        for (int i = 0; i < valueName.length; i += 2) {
            m.put((Integer) valueName[i], (String) valueName[i + 1]);
        }
        return Map.copyOf(m);
    }
}
