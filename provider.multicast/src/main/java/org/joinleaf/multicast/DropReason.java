package org.joinleaf.multicast;

/** Why an arrived datagram was dropped instead of queued (UDP semantics: it is lost, the drop is counted). */
enum DropReason {
    /** The socket's queue held {@code receiveQueueBytes} or {@code receiveQueueDatagrams} already. */
    SOCKET_QUEUE_FULL,
    /** All sockets together held {@code totalReceiveQueueBytes} already. */
    PROVIDER_BUDGET_FULL,
    /** Handling it threw (an {@code OutOfMemoryError} included); the I/O thread went on with the next one. */
    FAILURE,
    /**
     * The kernel dropped it before the I/O thread read it: the receiving socket's buffer ({@code SO_RCVBUF},
     * {@code socketReceiveBufferBytes}) was full. Read from Linux's {@code /proc/net/udp} ({@link KernelDrops}) for
     * the open sockets, not counted by the provider.
     */
    KERNEL_RECEIVE_BUFFER
}
