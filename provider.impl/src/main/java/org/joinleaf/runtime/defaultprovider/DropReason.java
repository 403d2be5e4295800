package org.joinleaf.runtime.defaultprovider;

/** Why a received datagram was dropped (UDP semantics: lost and counted in the provider's {@code DatagramBudget}). */
enum DropReason {
    /** The socket's queue held {@code receiveBufferBytes} already. */
    SOCKET_FULL,
    /** All sockets together held {@code totalReceiveBytes} already. */
    PROVIDER_FULL,
    /** Handling it threw (an {@code OutOfMemoryError} included); the I/O thread went on. */
    FAILURE
}
