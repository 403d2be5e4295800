package org.joinleaf.local;

/** What a reliable fan-out does when one receiving leaf's queue is full. Memory stays bounded either way. */
public enum SlowLeafPolicy {
    /** Cut the full leaf out of the session: {@code FD_CLOSE} with {@code WSAECONNABORTED} on both its sockets. */
    EVICT,
    /** Refuse the whole send with {@code WSAEWOULDBLOCK}; the sender gets {@code FD_WRITE} when room returns. */
    BLOCK_SENDER,
    /**
     * The old name of {@link #BLOCK_SENDER}, accepted from existing configurations and read as it (with a
     * deprecation line); the provider never runs with it.
     */
    @Deprecated
    BACKPRESSURE
}
