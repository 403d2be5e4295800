package org.joinleaf.api;

/** {@code ipv6_mreq}: the {@code IPV6_ADD_MEMBERSHIP}/{@code IPV6_DROP_MEMBERSHIP} value. */
public final class IPV6_MREQ {
    /** Bytes of the C structure: {@code optlen} for the membership options. */
    public static final int SIZE = 20;
    /** The group, 16 bytes ({@code ipv6mr_multiaddr}). */
    public byte[] ipv6mr_multiaddr = new byte[16];
    /** Interface index, 0 to let the provider choose. */
    public int ipv6mr_interface;

    public IPV6_MREQ() {
    }

    public IPV6_MREQ(byte[] ipv6mr_multiaddr, int ipv6mr_interface) {
        this.ipv6mr_multiaddr = ipv6mr_multiaddr;
        this.ipv6mr_interface = ipv6mr_interface;
    }
}
