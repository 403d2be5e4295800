package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.WSANOTINITIALISED;

import org.joinleaf.spi.WsaException;

/** The startup count of one process (§ WSAStartup/WSACleanup): reference counted, checked first by every call (R1). */
final class Startups {
    private int count;

    synchronized void up() {
        count++;
    }

    /** One WSACleanup; true when it was the last. */
    synchronized boolean down() throws WsaException {
        if (count == 0) {
            throw notInitialised();
        }
        return --count == 0;
    }

    synchronized void reset() {
        count = 0;
    }

    /** R1: {@code WSANOTINITIALISED} before any startup or after the last cleanup. */
    synchronized void check() throws WsaException {
        if (count == 0) {
            throw notInitialised();
        }
    }

    private static WsaException notInitialised() {
        return new WsaException(WSANOTINITIALISED, "call WSAStartup first (or after the last WSACleanup)");
    }
}
