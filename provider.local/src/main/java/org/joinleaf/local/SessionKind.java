package org.joinleaf.local;

import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.api.Winsock2;

/** The three multipoint schemes this provider offers, read from a catalog entry's plane bits (§1.1). */
enum SessionKind {
    /** Rooted control and rooted data (P-rr): the root fans out, a leaf reaches only the root. */
    ROOTED_DATA,
    /** Rooted control, non-rooted data: the root relays what a leaf sends to every other member. */
    RELAYED_DATA,
    /** Non-rooted control and data (P-np): IP-multicast-like groups, every socket a c_leaf/d_leaf. */
    MULTICAST;

    static SessionKind of(WSAPROTOCOL_INFO entry) {
        if (!entry.has(Winsock2.XP1_MULTIPOINT_CONTROL_PLANE)) {
            return MULTICAST;
        }
        return entry.has(Winsock2.XP1_MULTIPOINT_DATA_PLANE) ? ROOTED_DATA : RELAYED_DATA;
    }
}
