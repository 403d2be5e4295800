package org.joinleaf.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A {@code WSAAccept} condition function that also sees the caller's authenticated identity (a joinleaf
 * extension): {@code lpCallerIdentity} is the TLS-authenticated peer, or {@code null} when the connection is not
 * authenticated. The other arguments and the result are those of {@link LPCONDITIONPROC}. Pass it to
 * {@code WSAAccept} as {@link LPCONDITIONPROC#withIdentity(LPIDENTITYCONDITIONPROC)}.
 *
 * <p>Pitfall: trust {@code lpCallerIdentity}, never {@code lpCallerId} or {@code lpCallerData}, to tell who the caller
 * is: those are chosen by the caller.
 */
@ConsumerType
@FunctionalInterface
public interface LPIDENTITYCONDITIONPROC {
    int apply(WSAPEERIDENTITY lpCallerIdentity, WSABUF lpCallerId, WSABUF lpCallerData, QOS lpSQOS, QOS lpGQOS,
              WSABUF lpCalleeId, WSABUF lpCalleeData, int[] g, long dwCallbackData);
}
