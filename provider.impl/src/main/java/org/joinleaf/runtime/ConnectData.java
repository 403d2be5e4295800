package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;

import org.joinleaf.api.WSABUF;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.spi.WsaException;

/** Caller and callee data rules shared by {@code WSAJoinLeaf} and {@code WSAConnect} (§3 R4, R7, R29–R31). */
final class ConnectData {
    private ConnectData() {
    }

    /**
     * The caller data to send, or {@code null}. Connectionless providers without {@code XP1_CONNECT_DATA} ignore it
     * (decisions 9); connection-oriented ones fail with {@code WSAEPROTONOSUPPORT} (R7).
     */
    static byte[] caller(WSAPROTOCOL_INFO entry, WSABUF caller) throws WsaException {
        if (caller == null || caller.len == 0) {
            return null; // R29
        }
        checkReadable(caller, "lpCallerData");
        if (!entry.has(XP1_CONNECT_DATA)) {
            if (entry.has(XP1_CONNECTIONLESS)) {
                return null;
            }
            throw new WsaException(WSAEPROTONOSUPPORT, "catalog entry '" + entry.szProtocol
                    + "' cannot carry caller data (no XP1_CONNECT_DATA); pass lpCallerData = NULL");
        }
        return caller.toBytes();
    }

    /** The callee buffer must be as large as its {@code len} says (R4). */
    static void checkCallee(WSABUF callee) throws WsaException {
        if (callee != null && callee.len != 0) {
            checkReadable(callee, "lpCalleeData");
        }
    }

    private static void checkReadable(WSABUF b, String what) throws WsaException {
        if (b.len < 0 || b.buf == null || b.len > b.buf.length) {
            throw new WsaException(WSAEFAULT, what + ".len is " + b.len + " but buf holds "
                    + (b.buf == null ? "nothing" : b.buf.length + " bytes"));
        }
    }
}
