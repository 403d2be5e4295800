package org.joinleaf.runtime;

import org.joinleaf.runtime.dto.CountersDTO;

/**
 * The counters of one socket; each count is also its provider's, except a root's verdicts. Traffic, counted per
 * message, is the socket's own {@link SocketTraffic}, which the provider sums; the rest is added to both at once.
 */
final class SocketCounters {
    private final Counters socket = new Counters();
    private final Counters provider;
    private final SocketTraffic traffic;

    SocketCounters(Counters provider) {
        this.provider = provider;
        this.traffic = new SocketTraffic(provider);
    }

    void sent(int bytes) {
        traffic.sent(bytes);
    }

    void received(int bytes) {
        traffic.received(bytes);
    }

    /** The socket closed or its provider left: its traffic stays in the provider's totals. */
    void closed() {
        traffic.close();
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
        CountersDTO d = socket.dto();
        traffic.fill(d);
        return d;
    }
}
