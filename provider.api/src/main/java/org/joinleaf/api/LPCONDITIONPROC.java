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
 * <p>joinleaf extension: the runtime calls {@link #applyWithIdentity}, which by default ignores the caller's
 * authenticated identity and calls {@link #apply}; a condition function that wants the identity is made with
 * {@link #withIdentity(LPIDENTITYCONDITIONPROC)}. Plain lambdas keep working unchanged.
 *
 * <p>Pitfall: the buffers belong to the call; copy what you keep.
 */
@ConsumerType
@FunctionalInterface
public interface LPCONDITIONPROC {
    int apply(WSABUF lpCallerId, WSABUF lpCallerData, QOS lpSQOS, QOS lpGQOS, WSABUF lpCalleeId,
              WSABUF lpCalleeData, int[] g, long dwCallbackData);

    /**
     * What the runtime calls: {@link #apply} with the caller's TLS-authenticated identity beside the other
     * arguments ({@code null}: the caller is not authenticated). The default ignores the identity.
     */
    default int applyWithIdentity(WSAPEERIDENTITY lpCallerIdentity, WSABUF lpCallerId, WSABUF lpCallerData,
                                  QOS lpSQOS, QOS lpGQOS, WSABUF lpCalleeId, WSABUF lpCalleeData, int[] g,
                                  long dwCallbackData) {
        return apply(lpCallerId, lpCallerData, lpSQOS, lpGQOS, lpCalleeId, lpCalleeData, g, dwCallbackData);
    }

    /**
     * A condition function for {@code WSAAccept} that sees the caller's identity: {@link #applyWithIdentity}
     * passes it to {@code f}; a direct call of {@link #apply} passes {@code null} (not authenticated).
     */
    static LPCONDITIONPROC withIdentity(LPIDENTITYCONDITIONPROC f) {
        java.util.Objects.requireNonNull(f, "f");
        return new LPCONDITIONPROC() {
            @Override
            public int apply(WSABUF lpCallerId, WSABUF lpCallerData, QOS lpSQOS, QOS lpGQOS, WSABUF lpCalleeId,
                             WSABUF lpCalleeData, int[] g, long dwCallbackData) {
                return f.apply(null, lpCallerId, lpCallerData, lpSQOS, lpGQOS, lpCalleeId, lpCalleeData, g,
                        dwCallbackData);
            }

            @Override
            public int applyWithIdentity(WSAPEERIDENTITY lpCallerIdentity, WSABUF lpCallerId, WSABUF lpCallerData,
                                         QOS lpSQOS, QOS lpGQOS, WSABUF lpCalleeId, WSABUF lpCalleeData, int[] g,
                                         long dwCallbackData) {
                return f.apply(lpCallerIdentity, lpCallerId, lpCallerData, lpSQOS, lpGQOS, lpCalleeId,
                        lpCalleeData, g, dwCallbackData);
            }
        };
    }
}
