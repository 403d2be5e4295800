package org.joinleaf.qos;

import org.joinleaf.api.QOS;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The QoS admitted for one socket: what it reserves in its scope, the QoS in effect and the shaper of its sending
 * flow. Thread-safe.
 *
 * <p>Pitfalls: release the grant exactly when the socket closes (or the provider goes away), otherwise its capacity
 * stays reserved; releasing twice is harmless.
 */
@ProviderType
public interface FlowGrant {

    /** The scope the capacity is reserved in. */
    String scope();

    /**
     * A copy of the QoS in effect, as the application gave it ({@code SIO_GET_QOS}, conformance 51); a direction
     * renegotiated with {@code SERVICETYPE_NOCHANGE} shows the flowspec it kept.
     */
    QOS qos();

    /** Bytes per second reserved in {@link #scope()}: 0 for {@code BESTEFFORT}/{@code NOTRAFFIC}, or once released. */
    long reservedRate();

    /**
     * The shaper of the sending flow. The same object for the grant's life: a renegotiation changes its parameters
     * in place. Unlimited when the socket does not send or its sending flowspec sets no finite {@code TokenRate}.
     */
    Shaper shaper();

    /**
     * {@code SIO_SET_QOS} on an admitted socket: admits {@code qos} as a whole new flow with the grant's direction,
     * against the scope's remaining capacity plus what this grant already holds. Atomic: on success the new flow is
     * in effect and the old reservation is returned; on failure the old flow stays in effect, unchanged.
     * {@code SERVICETYPE_NOCHANGE} in a direction keeps that direction's current flowspec.
     *
     * @throws QosRejectedException ({@code WSAEOPNOTSUPP}) for the same reasons as {@link QosService#admit}
     * @throws IllegalStateException when the grant was released
     */
    void renegotiate(QOS qos) throws QosRejectedException;

    /**
     * {@link #renegotiate(QOS)} that also changes the direction the flow is judged with: for a join whose
     * {@code lpSQOS} replaces an earlier {@code SIO_SET_QOS} (R33) and whose {@code JL_*} direction makes one
     * flowspec unused (R34). The direction changes only if the new flow is admitted.
     *
     * @param direction {@code JL_SENDER_ONLY}, {@code JL_RECEIVER_ONLY} or {@code JL_BOTH}
     */
    void renegotiate(QOS qos, int direction) throws QosRejectedException;

    /** Returns the reservation to the scope. Idempotent; the shaper becomes unlimited. */
    void release();
}
