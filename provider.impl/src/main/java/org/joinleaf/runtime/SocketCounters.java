package org.joinleaf.runtime;

import org.joinleaf.runtime.dto.CountersDTO;

/** The counters of one socket; each count is also added to its provider's, except a root's verdicts. */
final class SocketCounters {
    private final Counters socket = new Counters();
    private final Counters provider;

    SocketCounters(Counters provider) {
        this.provider = provider;
    }

    void sent(int bytes) {
        socket.sent(bytes);
        provider.sent(bytes);
    }

    void received(int bytes) {
        socket.received(bytes);
        provider.received(bytes);
    }

    void error(int code) {
        socket.error(code);
        provider.error(code);
    }

    void evicted() {
        socket.evicted();
        provider.evicted();
    }

    void joinAttempted() {
        socket.joinAttempted();
        provider.joinAttempted();
    }

    /**
     * A listening root's verdict on a join request (WSAAccept): counted on this socket only, because the provider
     * counts the join once, where WSAJoinLeaf was called.
     */
    void verdict(int code) {
        socket.joinEnded(code);
    }

    void joinEnded(int code) {
        socket.joinEnded(code);
        provider.joinEnded(code);
    }

    CountersDTO dto() {
        return socket.dto();
    }
}
