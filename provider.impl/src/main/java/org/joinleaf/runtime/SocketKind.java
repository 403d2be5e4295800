package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;

import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.spi.WsaException;

/**
 * The rules that tie {@code WSASocket}'s multipoint flags to a catalog entry (§1.2, decisions 3), in one place.
 */
final class SocketKind {
    static final int MULTIPOINT_FLAGS = WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_C_LEAF
            | WSA_FLAG_MULTIPOINT_D_ROOT | WSA_FLAG_MULTIPOINT_D_LEAF;
    private static final int KNOWN_FLAGS = WSA_FLAG_OVERLAPPED | MULTIPOINT_FLAGS | WSA_FLAG_ACCESS_SYSTEM_SECURITY
            | WSA_FLAG_NO_HANDLE_INHERIT | WSA_FLAG_REGISTERED_IO;

    private SocketKind() {
    }

    /** Throws {@code WSAEINVAL} unless {@code dwFlags} describe a socket {@code entry} can make. */
    static void check(int dwFlags, WSAPROTOCOL_INFO entry) throws WsaException {
        if ((dwFlags & ~KNOWN_FLAGS) != 0) {
            throw new WsaException(WSAEINVAL, "unknown WSASocket flag bits 0x" + Integer.toHexString(dwFlags & ~KNOWN_FLAGS));
        }
        int mp = dwFlags & MULTIPOINT_FLAGS;
        if (mp == 0) {
            return;
        }
        boolean cRoot = (mp & WSA_FLAG_MULTIPOINT_C_ROOT) != 0;
        boolean cLeaf = (mp & WSA_FLAG_MULTIPOINT_C_LEAF) != 0;
        boolean dRoot = (mp & WSA_FLAG_MULTIPOINT_D_ROOT) != 0;
        boolean dLeaf = (mp & WSA_FLAG_MULTIPOINT_D_LEAF) != 0;
        if (cRoot == cLeaf || dRoot == dLeaf) {
            throw new WsaException(WSAEINVAL, "a multipoint socket needs exactly one of C_ROOT/C_LEAF and exactly one"
                    + " of D_ROOT/D_LEAF; got flags 0x" + Integer.toHexString(dwFlags));
        }
        if (!entry.has(XP1_SUPPORT_MULTIPOINT)) {
            throw new WsaException(WSAEINVAL, "catalog entry '" + entry.szProtocol
                    + "' has no XP1_SUPPORT_MULTIPOINT; create the socket without multipoint flags or pick a multipoint entry");
        }
        if (cRoot && !entry.has(XP1_MULTIPOINT_CONTROL_PLANE)) {
            throw new WsaException(WSAEINVAL, "C_ROOT needs a rooted control plane; entry '" + entry.szProtocol
                    + "' is non-rooted (every member is a c_leaf)");
        }
        if (dRoot && !entry.has(XP1_MULTIPOINT_DATA_PLANE)) {
            throw new WsaException(WSAEINVAL, "D_ROOT needs a rooted data plane; entry '" + entry.szProtocol
                    + "' is non-rooted (use D_LEAF)");
        }
    }

    static boolean isMultipoint(int dwFlags) {
        return (dwFlags & MULTIPOINT_FLAGS) != 0;
    }

    static boolean isControlRoot(int dwFlags) {
        return (dwFlags & WSA_FLAG_MULTIPOINT_C_ROOT) != 0;
    }

    /** The flags of the c_leaf that stands for one leaf on the root side (§1.5): same as the root, but a c_leaf. */
    static int leafOf(int rootFlags) {
        return (rootFlags & ~WSA_FLAG_MULTIPOINT_C_ROOT) | WSA_FLAG_MULTIPOINT_C_LEAF;
    }

    /** {@code dwFlags} of {@code WSAJoinLeaf} (decisions 5): exactly one JL bit; 0x03 reads as {@code JL_BOTH}. */
    static int direction(int jlFlags) throws WsaException {
        switch (jlFlags) {
            case JL_SENDER_ONLY:
            case JL_RECEIVER_ONLY:
            case JL_BOTH:
                return jlFlags;
            case JL_SENDER_ONLY | JL_RECEIVER_ONLY:
                return JL_BOTH;
            default:
                throw new WsaException(WSAEINVAL, "WSAJoinLeaf dwFlags must be JL_SENDER_ONLY, JL_RECEIVER_ONLY or"
                        + " JL_BOTH; got 0x" + Integer.toHexString(jlFlags));
        }
    }
}
