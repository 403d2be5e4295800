package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.spi.WsaException;

/**
 * Numeric address text both ways (issue 13): {@code inet_addr}, {@code inet_ntoa}, {@code inet_pton},
 * {@code inet_ntop}, {@code WSAStringToAddress}, {@code WSAAddressToString}. Never a name lookup: the JDK is asked
 * only to decode text already checked to be numeric, and to format bytes.
 */
final class AddressText {
    private AddressText() {
    }

    /** {@code inet_addr}: the BSD forms a.b.c.d, a.b.c, a.b, a (decimal, 0octal, 0xhex); INADDR_NONE if invalid. */
    static int inetAddr(String cp) {
        if (cp == null) {
            return INADDR_NONE;
        }
        String text = cp.trim(); // Windows stops at the first space
        int space = text.indexOf(' ');
        if (space >= 0) {
            text = text.substring(0, space);
        }
        if (text.isEmpty() || text.endsWith(".")) {
            return INADDR_NONE;
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length > 4) {
            return INADDR_NONE;
        }
        long[] v = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            v[i] = number(parts[i]);
            if (v[i] < 0) {
                return INADDR_NONE;
            }
        }
        long host = 0;
        int last = parts.length - 1;
        for (int i = 0; i < last; i++) {
            if (v[i] > 0xFF) {
                return INADDR_NONE;
            }
            host |= v[i] << (24 - 8 * i);
        }
        long lastMax = 0xFFFFFFFFL >>> (8 * last);
        if (v[last] > lastMax) {
            return INADDR_NONE;
        }
        host |= v[last];
        return htonl((int) host);
    }

    private static long number(String part) {
        int radix = 10;
        String digits = part;
        if (part.startsWith("0x") || part.startsWith("0X")) {
            radix = 16;
            digits = part.substring(2);
        } else if (part.length() > 1 && part.startsWith("0")) {
            radix = 8;
            digits = part.substring(1);
        }
        if (digits.isEmpty() || digits.length() > 11) {
            return -1;
        }
        try {
            long n = Long.parseLong(digits, radix);
            return n >= 0 && n <= 0xFFFFFFFFL && Character.digit(digits.charAt(0), radix) >= 0 ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** {@code inet_ntoa}. */
    static String inetNtoa(int in) {
        return (in & 0xFF) + "." + (in >> 8 & 0xFF) + "." + (in >> 16 & 0xFF) + "." + (in >>> 24);
    }

    /** The bytes of numeric text of {@code family}, or null when it is not one (no lookup is ever made). */
    static byte[] parse(int family, String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (family == AF_INET) {
            String[] parts = text.split("\\.", -1);
            if (parts.length != 4) {
                return null;
            }
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                String p = parts[i];
                if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)
                        || (p.length() > 1 && p.charAt(0) == '0') || Integer.parseInt(p) > 255) {
                    return null;
                }
                b[i] = (byte) Integer.parseInt(p);
            }
            return b;
        }
        if (!text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.') || text.indexOf(':') < 0) {
            return null;
        }
        try {
            byte[] b = InetAddress.getByName(text).getAddress(); // numeric by the check above: no lookup
            if (b.length == 4) { // the JDK folds ::ffff:a.b.c.d to IPv4
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xFF;
                mapped[11] = (byte) 0xFF;
                System.arraycopy(b, 0, mapped, 12, 4);
                return mapped;
            }
            return b;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Text of 4 or 16 bytes, IPv6 compressed as Windows prints it (lower case, longest zero run as ::). */
    static String format(byte[] addr) {
        if (addr.length == 4) {
            return inetNtoa((addr[0] & 0xFF) | (addr[1] & 0xFF) << 8 | (addr[2] & 0xFF) << 16 | (addr[3] & 0xFF) << 24);
        }
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = (addr[2 * i] & 0xFF) << 8 | (addr[2 * i + 1] & 0xFF);
        }
        int bestAt = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && words[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestAt = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestAt) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(words[i]));
        }
        return sb.toString();
    }

    /** {@code WSAStringToAddress}. */
    static int stringToAddress(String text, int family, SOCKADDR out, int[] length) throws WsaException {
        if (family != AF_INET && family != AF_INET6) {
            throw new WsaException(WSAEAFNOSUPPORT, "WSAStringToAddress handles AF_INET and AF_INET6; got " + family);
        }
        int needed = family == AF_INET6 ? SOCKADDR.SIZEOF_SOCKADDR_IN6 : SOCKADDR.SIZEOF_SOCKADDR_IN;
        if (out == null || length == null || length.length < 1 || length[0] < needed) {
            if (length != null && length.length > 0) {
                length[0] = needed;
            }
            throw new WsaException(WSAEFAULT, "lpAddressLength must be at least " + needed + " bytes");
        }
        SOCKADDR parsed = family == AF_INET ? parseInet(text) : parseInet6(text);
        if (parsed == null) {
            throw new WsaException(WSAEINVAL, "'" + text + "' is not a numeric " + (family == AF_INET
                    ? "IPv4 address (a.b.c.d[:port])" : "IPv6 address (addr, addr%scope or [addr%scope]:port)"));
        }
        out.set(parsed);
        length[0] = needed;
        return 0;
    }

    private static SOCKADDR parseInet(String text) {
        if (text == null) {
            return null;
        }
        String host = text;
        int port = 0;
        int colon = text.indexOf(':');
        if (colon >= 0) {
            port = port(text.substring(colon + 1));
            host = text.substring(0, colon);
        }
        byte[] b = parse(AF_INET, host);
        if (b == null || port < 0) {
            return null;
        }
        SOCKADDR a = SOCKADDR.any(AF_INET, port);
        a.addr = b;
        return a;
    }

    private static SOCKADDR parseInet6(String text) {
        if (text == null) {
            return null;
        }
        String host = text;
        int port = 0;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = text.substring(1, close);
            String after = text.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    return null;
                }
                port = port(after.substring(1));
            }
        }
        int scope = 0;
        int percent = host.indexOf('%');
        if (percent >= 0) {
            scope = port(host.substring(percent + 1));
            host = host.substring(0, percent);
            if (scope < 0) {
                return null;
            }
        }
        byte[] b = parse(AF_INET6, host);
        if (b == null || port < 0) {
            return null;
        }
        SOCKADDR a = SOCKADDR.any(AF_INET6, port);
        a.addr = b;
        a.scopeId = scope;
        return a;
    }

    private static int port(String digits) {
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        int p = Integer.parseInt(digits);
        return p <= 0xFFFF ? p : -1;
    }

    /** {@code WSAAddressToString}'s text: a.b.c.d[:port] or [addr%scope]:port (addr%scope without a port). */
    static String addressToString(SOCKADDR a, int length) throws WsaException {
        if (a == null || !a.isWellFormed()) {
            throw new WsaException(WSAEINVAL, "lpsaAddress must be an IPv4 or IPv6 address; got " + a);
        }
        if (length < a.size()) {
            throw new WsaException(WSAEFAULT, "dwAddressLength " + length + " is below the " + a.size()
                    + " bytes of the address");
        }
        String host = format(a.addr) + (a.sa_family == AF_INET6 && a.scopeId != 0 ? "%" + a.scopeId : "");
        if (a.port == 0) {
            return host;
        }
        return (a.sa_family == AF_INET6 ? "[" + host + "]" : host) + ":" + a.port;
    }

    /** Puts {@code text} into a caller's buffer of {@code size} chars (NUL included); WSAEFAULT when it does not fit. */
    static void copyOut(String text, StringBuilder buffer, int size, int failCode, String what) throws WsaException {
        if (buffer == null || size < text.length() + 1) {
            throw new WsaException(failCode, what + " needs room for " + (text.length() + 1)
                    + " characters (the text and its NUL); got " + (buffer == null ? "no buffer" : size));
        }
        buffer.setLength(0);
        buffer.append(text);
    }
}
