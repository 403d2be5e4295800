package org.joinleaf.runtime;

/**
 * The states a descriptor can be in (§3 R12–R25, decisions 7, 12), one at a time, held by its
 * {@link SocketRecord}. The label is what operators see in the shell and the socket DTOs.
 *
 * <pre>
 * OPEN ──listen──▶ LISTENING
 * OPEN/LISTENING/CONNECTED ──join──▶ JOINING ──ok──▶ JOINED ──FD_CLOSE──▶ PEER_CLOSED
 *                                       ├──refused, unreachable, timed out (R22)──▶ back where it started
 *                                       └──other failure, cancelled──▶ BROKEN
 * OPEN/LISTENING ──connect──▶ CONNECTING ──ok──▶ CONNECTED ──FD_CLOSE──▶ PEER_CLOSED
 *                                  └──failure, cancelled──▶ back where it started
 * accept ──▶ CONNECTED (point-to-point) or JOINED (multipoint, §1.5)
 * any ──provider left──▶ DOWN;  any ──closesocket, last WSACleanup──▶ CLOSED
 * </pre>
 */
enum SocketState {
    /** Created; never joined or connected, or the last join failed in a way that allows a retry (R22). */
    OPEN("idle"),
    /** {@code listen} succeeded: requests are queued and announced with FD_ACCEPT. */
    LISTENING("listening"),
    /** A {@code WSAConnect} is under way; other calls are allowed. */
    CONNECTING("connect pending"),
    /** A join is under way: every call but closesocket (and reading the event record) is WSAENOTCONN (R25). */
    JOINING("join pending"),
    /** Point-to-point connected (a connect that completed, or an accepted socket). */
    CONNECTED("connected"),
    /** Member of a multipoint session. */
    JOINED("joined"),
    /** Was connected or a member; the peer or the session closed it (FD_CLOSE recorded, with its code). */
    PEER_CLOSED("closed"),
    /** A join failed in a way that does not allow a retry; the socket should be closed and recreated. */
    BROKEN("broken"),
    /** Its provider left the catalog (decisions 12): every call but closesocket is WSAENETDOWN. */
    DOWN("down"),
    /** closesocket or the last WSACleanup: the descriptor is gone. */
    CLOSED("closed by the application");

    final String label;

    SocketState(String label) {
        this.label = label;
    }

    /** Connected or a member, now or until the peer closed ({@code WSAEISCONN} for a second connect or join). */
    boolean isMember() {
        return this == CONNECTED || this == JOINED || this == PEER_CLOSED;
    }

    /** A join or connect is in flight on this descriptor. */
    boolean isPending() {
        return this == JOINING || this == CONNECTING;
    }

    /** Closed by the application or abandoned by its provider: nothing more happens on it. */
    boolean isGone() {
        return this == CLOSED || this == DOWN;
    }
}
