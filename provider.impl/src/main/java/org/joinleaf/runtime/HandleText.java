package org.joinleaf.runtime;

import org.joinleaf.api.SOCKET;

/**
 * The one text form of a socket handle, {@code 0x104}: the shell prints it and accepts it, and the runtime's log lines
 * use it, so an operator can grep a handle from one into the other (issue 15 item 6).
 */
public final class HandleText {
    private HandleText() {
    }

    public static String of(long handle) {
        return "0x" + Long.toHexString(handle);
    }

    public static String of(SOCKET s) {
        return of(s.value());
    }

    /** {@code 0x104} (hex) or {@code 260} (decimal). */
    public static long parse(String text) {
        String t = text.trim();
        try {
            return t.startsWith("0x") || t.startsWith("0X") ? Long.parseUnsignedLong(t.substring(2), 16)
                    : Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("socket handle '" + text + "': use its hex form as joinleaf:sockets"
                    + " shows it, e.g. 0x104", e);
        }
    }
}
