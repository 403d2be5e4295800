package org.joinleaf.tcp.session;

/**
 * What a root does with a leaf that cannot keep up with the fan-out. A leaf's backlog is every DATA byte sent to it
 * and not yet taken by its kernel, counted from the send (frames still waiting on an event loop included); it is
 * "over its mark" at the high water mark and "drained" at the low one. Under both policies:
 * <ul>
 * <li>when every receiving leaf is over its mark, the root's send returns {@code WSAEWOULDBLOCK} and
 * {@code FD_WRITE} follows: the sender outruns the network, and nobody is evicted for that;</li>
 * <li>a leaf that would pass twice the high water mark is evicted only if it took nothing while another receiving
 * leaf kept up (decision 38); otherwise the send returns {@code WSAEWOULDBLOCK} and {@code FD_WRITE} follows;</li>
 * <li>a leaf unwritable for the slow-leaf timeout while another receiving leaf is drained is evicted;</li>
 * <li>an evicted leaf's backlog is dropped and it gets LEAVE({@code WSAECONNABORTED}) before a graceful close, so it
 * reports {@code WSAECONNABORTED};</li>
 * <li>with a non-rooted data plane, a leaf whose message the root relays is not read while any target is over its
 * mark.</li>
 * </ul>
 * No leaf's backlog passes twice the high water mark plus one message (per concurrent sender).
 */
public enum SlowLeafPolicy {
    /**
     * Keep sending while some receiving leaf has room; a leaf at twice the high water mark that took nothing while
     * another kept up fell behind the others and is evicted at once (decision 38).
     */
    EVICT,
    /**
     * The root's send fails with {@code WSAEWOULDBLOCK} while any receiving leaf is over its mark, and
     * {@code FD_WRITE} follows when none is. A stuck leaf is evicted by the slow-leaf timeout once another leaf is
     * drained, so one stuck leaf cannot stall the session forever.
     */
    BLOCK_SENDER
}
