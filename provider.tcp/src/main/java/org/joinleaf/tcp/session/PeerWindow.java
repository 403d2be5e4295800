package org.joinleaf.tcp.session;

import io.netty.channel.Channel;

/**
 * Why a leaf's kernel takes nothing, as the sending kernel sees its connection (decision 45): asked only of a leaf that
 * decision 38 would evict, never per message. A reader that stopped reading closes its receive window: everything
 * sent is acknowledged and nothing is in flight while our data waits. A flow the network is slowing has data in
 * flight (loss, retransmission, back-off): it is not the laggard.
 */
interface PeerWindow {
    /** Where TCP_INFO cannot be read (NIO): relative eviction as decision 38 has it. */
    PeerWindow UNKNOWN = c -> Reading.UNKNOWN;

    /** What the kernel says about {@code c} now (any thread). */
    Reading of(Channel c);

    enum State {
        /** The peer's receive window is closed: nothing in flight, our data waits. */
        CLOSED,
        /** Data is in flight, or the kernel has taken all we wrote: the network or we are slow, not the reader. */
        IN_FLIGHT,
        /** The kernel was not asked (NIO) or could not answer. */
        UNKNOWN
    }

    /** A state and the kernel's figures behind it, for the eviction line and the refusal's message. */
    record Reading(State state, String figures) {
        static final Reading UNKNOWN = new Reading(State.UNKNOWN, "TCP_INFO not read");

        /** True when eviction may go on: the window is closed, or the kernel could not tell (decision 38 alone). */
        boolean mayEvict() {
            return state != State.IN_FLIGHT;
        }
    }
}
