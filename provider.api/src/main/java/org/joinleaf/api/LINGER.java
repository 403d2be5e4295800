package org.joinleaf.api;

/** {@code linger}: the {@code SO_LINGER} value ({@code u_short} fields in C: 4 bytes). */
public final class LINGER {
    /** Bytes of the C structure: {@code optlen} for {@code SO_LINGER}. */
    public static final int SIZE = 4;
    /** Non-zero: linger on close. */
    public int l_onoff;
    /** Seconds to linger, 0–65535. */
    public int l_linger;

    public LINGER() {
    }

    public LINGER(int l_onoff, int l_linger) {
        this.l_onoff = l_onoff;
        this.l_linger = l_linger;
    }
}
