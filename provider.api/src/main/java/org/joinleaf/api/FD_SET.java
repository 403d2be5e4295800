package org.joinleaf.api;

/**
 * {@code fd_set} / {@code FD_SET}: up to {@link Winsock2#FD_SETSIZE} descriptors, handled with
 * {@link Winsock2#FD_ZERO}, {@link Winsock2#FD_SET}, {@link Winsock2#FD_CLR} and {@link Winsock2#FD_ISSET} as in C.
 * {@code select} rewrites it to the descriptors that are ready.
 */
public final class FD_SET {
    /** Descriptors in {@link #fd_array}. */
    public int fd_count;
    /** The descriptors, first {@link #fd_count} valid. */
    public final SOCKET[] fd_array = new SOCKET[Winsock2.FD_SETSIZE];
}
