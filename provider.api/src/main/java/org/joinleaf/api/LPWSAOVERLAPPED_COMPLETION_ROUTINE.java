package org.joinleaf.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * {@code LPWSAOVERLAPPED_COMPLETION_ROUTINE}: present so ported signatures keep their shape. Never called:
 * overlapped I/O is not offered and a non-null routine fails the call with {@code WSAEINVAL}.
 */
@ConsumerType
@FunctionalInterface
public interface LPWSAOVERLAPPED_COMPLETION_ROUTINE {
    void apply(int dwError, int cbTransferred, WSAOVERLAPPED lpOverlapped, int dwFlags);
}
