package org.joinleaf.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The {@code WSAAccept} condition function. Winsock rules it carries (§4): it runs on the thread that called
 * {@code WSAAccept} (never on a transport thread), sees the caller's address in {@code lpCallerId}, the caller data
 * in {@code lpCallerData} (NULL if none), the caller's flowspecs in {@code lpSQOS} (NULL: no negotiation),
 * {@code lpGQOS} NULL, the local address in {@code lpCalleeId}; it may write up to {@code lpCalleeData.len} bytes of
 * reply into {@code lpCalleeData.buf} and sets {@code len} to the count (0 for no reply; a {@code len} of 0 on entry
 * means the provider carries no reply data). It returns {@code CF_ACCEPT}, {@code CF_REJECT} (the caller sees
 * {@code WSAECONNREFUSED}) or {@code CF_DEFER} ({@code WSAAccept} fails with {@code WSATRY_AGAIN} and the request
 * stays at the head of the queue); any other value makes {@code WSAAccept} fail with {@code WSAEINVAL}.
 *
 * <p>Pitfall: the buffers belong to the call; copy what you keep.
 */
@ConsumerType
@FunctionalInterface
public interface LPCONDITIONPROC {
    int apply(WSABUF lpCallerId, WSABUF lpCallerData, QOS lpSQOS, QOS lpGQOS, WSABUF lpCalleeId,
              WSABUF lpCalleeData, int[] g, long dwCallbackData);
}
