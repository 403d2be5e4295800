package org.joinleaf.api;

/**
 * {@code WSANETWORKEVENTS}: what {@code WSAEnumNetworkEvents} copies out. Winsock rule (§4): the copy and the
 * clearing of the socket's record are one atomic step; only the {@code iErrorCode} slots whose {@code FD_*} bit is
 * set in {@code lNetworkEvents} are written, indexed by {@code FD_*_BIT}.
 */
public final class WSANETWORKEVENTS {
    /** The {@code FD_*} bits that occurred. */
    public int lNetworkEvents;
    /** Error per event, indexed by {@code FD_*_BIT}; 0 means success. */
    public final int[] iErrorCode = new int[Winsock2.FD_MAX_EVENTS];

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("WSANETWORKEVENTS{");
        for (int bit = 0; bit < Winsock2.FD_MAX_EVENTS; bit++) {
            if ((lNetworkEvents & (1 << bit)) != 0) {
                b.append(' ').append(bit).append('=').append(WSAError.nameOf(iErrorCode[bit]));
            }
        }
        return b.append(" }").toString();
    }
}
