package org.joinleaf.api;

/**
 * {@code ip_mreq}: the {@code IP_ADD_MEMBERSHIP}/{@code IP_DROP_MEMBERSHIP} value. Addresses are {@code in_addr}
 * values as {@code inet_addr} returns them (network order); {@code INADDR_ANY} as the interface lets the provider
 * choose.
 */
public final class IP_MREQ {
    /** Bytes of the C structure: {@code optlen} for the membership options. */
    public static final int SIZE = 8;
    /** The group ({@code imr_multiaddr.s_addr}). */
    public int imr_multiaddr;
    /** The local interface's address ({@code imr_interface.s_addr}). */
    public int imr_interface;

    public IP_MREQ() {
    }

    public IP_MREQ(int imr_multiaddr, int imr_interface) {
        this.imr_multiaddr = imr_multiaddr;
        this.imr_interface = imr_interface;
    }
}
