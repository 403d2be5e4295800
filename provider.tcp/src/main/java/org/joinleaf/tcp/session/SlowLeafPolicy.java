package org.joinleaf.tcp.session;

/**
 * What a root does with a leaf whose connection cannot keep up with the fan-out (its Netty write buffer is above
 * the high water mark). Both policies keep memory bounded and never stall the other leaves for long.
 */
public enum SlowLeafPolicy {
    /**
     * Keep sending; the slow leaf's backlog may grow to twice the high water mark, then it is evicted at once.
     * A leaf that stays unwritable for the slow-leaf timeout is evicted too. The root's sends never block.
     */
    EVICT,
    /**
     * The root's send fails with {@code WSAEWOULDBLOCK} while any receiving leaf is unwritable, and
     * {@code FD_WRITE} follows when all are writable again. A leaf that stays unwritable for the slow-leaf
     * timeout is evicted, so one stuck leaf cannot stall the session forever.
     */
    BLOCK_SENDER
}
