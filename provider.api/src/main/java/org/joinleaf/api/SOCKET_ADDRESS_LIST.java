package org.joinleaf.api;

/**
 * {@code SOCKET_ADDRESS_LIST}: the output of {@code SIO_ADDRESS_LIST_QUERY}. Its C size, which
 * {@code cbOutBuffer} must cover, is {@link #sizeFor}: a count, one {@code SOCKET_ADDRESS} (pointer and length, 16
 * bytes on 64-bit Windows) per address, and the addresses themselves.
 */
public final class SOCKET_ADDRESS_LIST {
    public int iAddressCount;
    public SOCKET_ADDRESS[] Address = new SOCKET_ADDRESS[0];

    /** Bytes the C structure needs for these addresses (8 + 16 per entry + each sockaddr). */
    public static int sizeFor(SOCKADDR... addresses) {
        int size = 8;
        for (SOCKADDR a : addresses) {
            size += 16 + a.size();
        }
        return size;
    }
}
