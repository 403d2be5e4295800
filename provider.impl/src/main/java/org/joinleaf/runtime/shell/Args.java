package org.joinleaf.runtime.shell;

import static org.joinleaf.api.Winsock2.*;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.runtime.HandleText;

/** Parses the manual-testing commands' arguments; a bad one fails with a message naming what is accepted. */
final class Args {
    private Args() {
    }

    /** {@code inet}, {@code inet6} or the Winsock names {@code AF_INET}, {@code AF_INET6}. */
    static int family(String af) {
        Integer v = lookup(Names.FAMILIES, af, "af_");
        if (v == null) {
            throw new IllegalArgumentException("address family '" + af + "': use inet or inet6");
        }
        return v;
    }

    /**
     * Every Winsock socket type, by short or Winsock name ({@code seqpacket}, {@code SOCK_SEQPACKET}): which ones a
     * provider offers is its catalog's business (WSASocket answers WSAESOCKTNOSUPPORT), not the shell's.
     */
    static int type(String type) {
        Integer v = lookup(Names.TYPES, type, "sock_");
        if (v == null) {
            throw new IllegalArgumentException("socket type '" + type + "': use stream, dgram, seqpacket, rdm or raw");
        }
        return v;
    }

    private static Integer lookup(java.util.Map<Integer, String> names, String text, String prefix) {
        String t = text.toLowerCase(Locale.ROOT);
        String name = (t.startsWith(prefix) ? t : prefix + t).toUpperCase(Locale.ROOT);
        return names.entrySet().stream().filter(e -> e.getValue().equals(name)).map(java.util.Map.Entry::getKey)
                .findFirst().orElse(null);
    }

    /** A handle as the shell prints it ({@code 0x104}) or in decimal. */
    static long handle(String handle) {
        return HandleText.parse(handle);
    }

    /** WSASocket's dwFlags for a kind. */
    static int kindFlags(String kind) {
        switch (kind.toLowerCase(Locale.ROOT)) {
            case "root":
                return WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_ROOT;
            case "leaf":
                return WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF;
            case "plain":
                return 0;
            default:
                throw new IllegalArgumentException("socket kind '" + kind + "': use root, leaf or plain");
        }
    }

    /** {@code 127.0.0.1:7000}, {@code [::1]:7000}. */
    static SOCKADDR address(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("address '" + address
                    + "': use host:port, e.g. 127.0.0.1:7000 or [::1]:7000");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port in '" + address + "' is not a number", e);
        }
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        }
        return SOCKADDR.of(host, port);
    }

    /** Bytes as quoted UTF-8 text, or {@code (none)}. */
    static String text(byte[] bytes) {
        return bytes.length == 0 ? "(none)" : "'" + new String(bytes, StandardCharsets.UTF_8) + "'";
    }
}
