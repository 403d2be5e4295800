package org.joinleaf.multicast;

/** Why an arrived datagram was dropped instead of queued (UDP semantics: it is lost, the drop is counted). */
enum DropReason {
    /** The socket's queue held {@code receiveQueueBytes} or {@code receiveQueueDatagrams} already. */
    SOCKET_QUEUE_FULL,
    /** All sockets together held {@code totalReceiveQueueBytes} already. */
    PROVIDER_BUDGET_FULL,
    /** Handling it threw (an {@code OutOfMemoryError} included); the I/O thread went on with the next one. */
    FAILURE
}
