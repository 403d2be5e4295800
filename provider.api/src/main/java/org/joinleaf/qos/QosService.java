package org.joinleaf.qos;

import org.joinleaf.api.QOS;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Admission control for flowspec QoS (§5, decisions 10). A QoS-capable transport provider calls {@link #admit} when a
 * join carries {@code lpSQOS} (or on {@code SIO_SET_QOS}), and fails the call synchronously with the exception's
 * code ({@code WSAEOPNOTSUPP}) when it is refused.
 *
 * <p>Rules applied, in this order (each refusal is a {@link QosRejectedException} naming its {@code WSA_QOS_*}
 * reason; nothing is reserved when one fails):
 * <ol>
 * <li>The flowspec of a direction the join does not use is ignored (R34): {@code JL_SENDER_ONLY} ignores the
 * receiving flowspec, {@code JL_RECEIVER_ONLY} the sending one; {@code JL_BOTH} uses both.</li>
 * <li>The FLOWSPEC model (service types, {@code QOS_NOT_SPECIFIED} defaulting per direction, rate and size
 * consistency) and the {@code ProviderSpecific} object list: {@code WSA_QOS_ESERVICETYPE},
 * {@code WSA_QOS_EFLOWSPEC}, {@code WSA_QOS_EPROVSPECBUF}, {@code WSA_QOS_EOBJLENGTH},
 * {@code WSA_QOS_EUNKNOWNPSOBJ}, {@code WSA_QOS_ESDMODEOBJ}, {@code WSA_QOS_ESHAPERATEOBJ}.</li>
 * <li>The configured service types and per-flow maxima: {@code WSA_QOS_ESERVICETYPE},
 * {@code WSA_QOS_POLICY_FAILURE}.</li>
 * <li>The remaining capacity of the scope: {@code CONTROLLEDLOAD} and {@code GUARANTEED} reserve their
 * {@code TokenRate}; {@code BESTEFFORT} always passes; {@code NOTRAFFIC} reserves nothing:
 * {@code WSA_QOS_ADMISSION_FAILURE}.</li>
 * </ol>
 *
 * <p>{@code lpGQOS} is not this service's business: socket groups are reserved and the runtime ignores it
 * (decisions 11). Thread-safe; never blocks.
 */
@ProviderType
public interface QosService {

    /**
     * Validates {@code qos} for the directions {@code direction} uses and reserves its capacity in {@code scope}.
     *
     * @param scope what shares one capacity, chosen by the provider: its name, or its name and the interface (for
     *            example {@code "tcp"} or {@code "tcp/eth0"}); see the {@code scopeCapacities} configuration
     * @param qos the requested QoS; read, never kept (the grant holds a copy)
     * @param direction {@code JL_SENDER_ONLY}, {@code JL_RECEIVER_ONLY} or {@code JL_BOTH} (the socket's
     *            direction; an ordinary bidirectional socket passes {@code JL_BOTH})
     * @return the grant, to be released when the socket closes
     * @throws QosRejectedException ({@code WSAEOPNOTSUPP}) when the flowspecs are invalid or cannot be met
     */
    FlowGrant admit(String scope, QOS qos, int direction) throws QosRejectedException;

    /** Bytes per second still free for {@code CONTROLLEDLOAD}/{@code GUARANTEED} flows in {@code scope}; never negative. */
    long remainingCapacity(String scope);
}
