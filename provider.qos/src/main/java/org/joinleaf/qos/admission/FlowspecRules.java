package org.joinleaf.qos.admission;

import static org.joinleaf.api.Winsock2.*;

import java.util.Objects;
import org.joinleaf.api.FLOWSPEC;
import org.joinleaf.api.QOS;
import org.joinleaf.qos.QosRejectedException;

/**
 * The FLOWSPEC model (contract.md §5, decisions 10) and the configured policy, turned into a
 * {@link FlowDemand}. Each rule has an id that its tests name:
 * <ul>
 * <li>Q1 ServiceType (without the SERVICE_NO_QOS_SIGNALING modifier) is NOTRAFFIC, NOCHANGE, BESTEFFORT,
 * CONTROLLEDLOAD, GUARANTEED, or GENERAL_INFORMATION in a sending flowspec (read as BESTEFFORT); else
 * WSA_QOS_ESERVICETYPE. NOTRAFFIC and NOCHANGE (with nothing to keep) ask for nothing.</li>
 * <li>Q2 A sending flowspec gives TokenRate (K.50, decisions 10).</li>
 * <li>Q3 A GUARANTEED receiving flowspec gives TokenRate; other receivers may leave every field defaulted
 * (a CONTROLLEDLOAD receiver takes its rate from the sender's TSPEC and reserves nothing here).</li>
 * <li>Q4 TokenRate, TokenBucketSize and MaxSduSize are not 0 when given.</li>
 * <li>Q5 PeakBandwidth, when given with TokenRate, is at least TokenRate.</li>
 * <li>Q6 MaxSduSize, when given with MinimumPolicedSize, is at least MinimumPolicedSize.</li>
 * <li>Q7 The service type is offered by the configuration, else WSA_QOS_ESERVICETYPE.</li>
 * <li>Q8 ProviderSpecific is well-formed ({@link ProviderSpecificObjects}).</li>
 * <li>Q9 A CONTROLLEDLOAD or GUARANTEED flowspec stays within maxTokenRate and maxBucketSize, else
 * WSA_QOS_POLICY_FAILURE.</li>
 * <li>Q11 The flowspec of an unused direction is ignored (R34).</li>
 * <li>Q12 On renegotiation, NOCHANGE keeps that direction's current flowspec.</li>
 * <li>Q13 Defaults of a sending flow: TokenBucketSize = max(TokenRate / 10, 1024) bytes (100 ms of rate), capped
 * by maxBucketSize for reserved flows; PeakBandwidth = no peak limit. TokenRate POSITIVE_INFINITY_RATE is not
 * shaped.</li>
 * </ul>
 * (Q10, admission against capacity, is {@link AdmissionControl}'s.) Latency and DelayVariation are accepted and not
 * promised: nothing on a gateway can bound them.
 */
final class FlowspecRules {
    private static final long MIN_DEFAULT_BUCKET = 1024;
    private static final long DEFAULT_BUCKET_DIVISOR = 10;

    private FlowspecRules() {
    }

    /**
     * @param current the QoS in effect before a renegotiation, or null on a first admission
     * @param direction JL_SENDER_ONLY or JL_RECEIVER_ONLY use one direction; any other value uses both
     */
    static FlowDemand evaluate(QOS requested, QOS current, int direction, QosPolicy policy)
            throws QosRejectedException {
        Objects.requireNonNull(requested, "QOS (a join without QoS needs no admission)");
        QOS effective = new QOS(requested);
        if (current != null) {
            if (isNoChange(effective.SendingFlowspec)) {
                effective.SendingFlowspec = new FLOWSPEC(current.SendingFlowspec);
            }
            if (isNoChange(effective.ReceivingFlowspec)) {
                effective.ReceivingFlowspec = new FLOWSPEC(current.ReceivingFlowspec);
            }
        }
        ProviderSpecificObjects.check(requested.ProviderSpecific);
        long reservation = 0;
        Shaping shaping = Shaping.NONE;
        if (direction != JL_RECEIVER_ONLY) {
            FLOWSPEC f = requireFlowspec(effective.SendingFlowspec, "sending");
            reservation += reservationOf(f, true, policy);
            shaping = shaping(f, policy);
        }
        if (direction != JL_SENDER_ONLY) {
            reservation += reservationOf(requireFlowspec(effective.ReceivingFlowspec, "receiving"), false, policy);
        }
        return new FlowDemand(effective, reservation, shaping.rate, shaping.bucket, shaping.peak);
    }

    private static boolean isNoChange(FLOWSPEC f) {
        return f != null && baseType(f) == SERVICETYPE_NOCHANGE;
    }

    private static int baseType(FLOWSPEC f) {
        return f.ServiceType & ~SERVICE_NO_QOS_SIGNALING;
    }

    private static FLOWSPEC requireFlowspec(FLOWSPEC f, String dir) throws QosRejectedException {
        if (f == null) {
            throw new QosRejectedException(WSA_QOS_EFLOWSPEC, "the " + dir + " flowspec is missing; a QOS holds"
                    + " both, use SERVICETYPE_NOTRAFFIC for a direction without traffic");
        }
        return f;
    }

    /** Checks one used direction and returns what it reserves. */
    private static long reservationOf(FLOWSPEC f, boolean sending, QosPolicy policy) throws QosRejectedException {
        String dir = sending ? "sending" : "receiving";
        int type = requestedType(f, sending, dir);
        if (type == SERVICETYPE_NOTRAFFIC) {
            return 0;
        }
        checkFields(f, type, sending, dir);
        if (!policy.offeredServiceTypes.contains(type)) {
            throw new QosRejectedException(WSA_QOS_ESERVICETYPE, "the " + dir + " flowspec asks for service type "
                    + typeName(type) + ", which is not offered here (offeredServiceTypes = " + policy.offeredNames()
                    + "); ask for an offered type or change the configuration of PID " + AdmissionControl.PID);
        }
        if (type == SERVICETYPE_BESTEFFORT) {
            return 0;
        }
        long rate = specified(f.TokenRate) ? Integer.toUnsignedLong(f.TokenRate) : 0;
        if (rate > policy.maxTokenRate) {
            throw new QosRejectedException(WSA_QOS_POLICY_FAILURE, "the " + dir + " flowspec asks TokenRate "
                    + rateName(f.TokenRate) + " bytes/s; a " + typeName(type) + " flow may reserve at most "
                    + policy.maxTokenRate + " (maxTokenRate)");
        }
        if (specified(f.TokenBucketSize) && Integer.toUnsignedLong(f.TokenBucketSize) > policy.maxBucketSize) {
            throw new QosRejectedException(WSA_QOS_POLICY_FAILURE, "the " + dir + " flowspec asks TokenBucketSize "
                    + Integer.toUnsignedString(f.TokenBucketSize) + " bytes; a " + typeName(type)
                    + " flow may have at most " + policy.maxBucketSize + " (maxBucketSize)");
        }
        return rate;
    }

    /** Q1: the service type, with GENERAL_INFORMATION read as BESTEFFORT and NOCHANGE as nothing. */
    private static int requestedType(FLOWSPEC f, boolean sending, String dir) throws QosRejectedException {
        int type = baseType(f);
        switch (type) {
            case SERVICETYPE_NOTRAFFIC:
            case SERVICETYPE_NOCHANGE:
                return SERVICETYPE_NOTRAFFIC;
            case SERVICETYPE_BESTEFFORT:
            case SERVICETYPE_CONTROLLEDLOAD:
            case SERVICETYPE_GUARANTEED:
                return type;
            case SERVICETYPE_GENERAL_INFORMATION:
                if (sending) {
                    return SERVICETYPE_BESTEFFORT;
                }
                throw new QosRejectedException(WSA_QOS_ESERVICETYPE, "SERVICETYPE_GENERAL_INFORMATION is for"
                        + " sending flowspecs only; the receiving flowspec must name its service type");
            default:
                throw new QosRejectedException(WSA_QOS_ESERVICETYPE, "the " + dir + " flowspec has ServiceType 0x"
                        + Integer.toHexString(f.ServiceType) + ", which cannot be requested; use"
                        + " SERVICETYPE_BESTEFFORT, _CONTROLLEDLOAD, _GUARANTEED, _NOTRAFFIC or _NOCHANGE");
        }
    }

    /** Q2–Q6. */
    private static void checkFields(FLOWSPEC f, int type, boolean sending, String dir) throws QosRejectedException {
        if (!specified(f.TokenRate)) {
            if (sending) {
                throw flowspec(dir, "leaves TokenRate as QOS_NOT_SPECIFIED, which cannot be met for sending (K.50);"
                        + " give the average rate in bytes per second");
            }
            if (type == SERVICETYPE_GUARANTEED) {
                throw flowspec(dir, "is GUARANTEED but leaves TokenRate as QOS_NOT_SPECIFIED; a Guaranteed"
                        + " receiver must give the rate it reserves");
            }
        }
        requireNonZero(f.TokenRate, "TokenRate", dir);
        requireNonZero(f.TokenBucketSize, "TokenBucketSize", dir);
        requireNonZero(f.MaxSduSize, "MaxSduSize", dir);
        if (specified(f.PeakBandwidth) && specified(f.TokenRate)
                && Integer.compareUnsigned(f.PeakBandwidth, f.TokenRate) < 0) {
            throw flowspec(dir, "has PeakBandwidth " + rateName(f.PeakBandwidth) + " below TokenRate "
                    + rateName(f.TokenRate) + "; PeakBandwidth must be >= TokenRate, or QOS_NOT_SPECIFIED");
        }
        if (specified(f.MaxSduSize) && specified(f.MinimumPolicedSize)
                && Integer.compareUnsigned(f.MaxSduSize, f.MinimumPolicedSize) < 0) {
            throw flowspec(dir, "has MaxSduSize " + Integer.toUnsignedString(f.MaxSduSize)
                    + " below MinimumPolicedSize " + Integer.toUnsignedString(f.MinimumPolicedSize)
                    + "; the largest packet cannot be smaller than the smallest policed one");
        }
    }

    private static void requireNonZero(int value, String field, String dir) throws QosRejectedException {
        if (value == 0) {
            throw flowspec(dir, "has " + field + " 0; give a positive value or QOS_NOT_SPECIFIED");
        }
    }

    /** Q13: how the sending flowspec {@code f} (already valid) is shaped. */
    private static Shaping shaping(FLOWSPEC f, QosPolicy policy) {
        int type = baseType(f);
        boolean sends = type == SERVICETYPE_BESTEFFORT || type == SERVICETYPE_CONTROLLEDLOAD
                || type == SERVICETYPE_GUARANTEED || type == SERVICETYPE_GENERAL_INFORMATION;
        if (!sends || f.TokenRate == POSITIVE_INFINITY_RATE) {
            return Shaping.NONE;
        }
        long rate = Integer.toUnsignedLong(f.TokenRate);
        long bucket;
        if (specified(f.TokenBucketSize)) {
            bucket = Integer.toUnsignedLong(f.TokenBucketSize);
        } else {
            bucket = Math.max(rate / DEFAULT_BUCKET_DIVISOR, MIN_DEFAULT_BUCKET);
            if (type == SERVICETYPE_CONTROLLEDLOAD || type == SERVICETYPE_GUARANTEED) {
                bucket = Math.min(bucket, policy.maxBucketSize);
            }
        }
        long peak = specified(f.PeakBandwidth) && f.PeakBandwidth != POSITIVE_INFINITY_RATE
                ? Integer.toUnsignedLong(f.PeakBandwidth) : 0;
        return new Shaping(rate, bucket, peak);
    }

    /** Token bucket parameters of a sending flow; rate 0 when it is not shaped. */
    private record Shaping(long rate, long bucket, long peak) {
        static final Shaping NONE = new Shaping(0, 0, 0);
    }

    private static boolean specified(int value) {
        return value != QOS_NOT_SPECIFIED;
    }

    private static QosRejectedException flowspec(String dir, String detail) {
        return new QosRejectedException(WSA_QOS_EFLOWSPEC, "the " + dir + " flowspec " + detail);
    }

    private static String rateName(int rate) {
        return rate == POSITIVE_INFINITY_RATE ? "POSITIVE_INFINITY_RATE" : Integer.toUnsignedString(rate);
    }

    private static String typeName(int type) {
        switch (type) {
            case SERVICETYPE_BESTEFFORT:
                return "BESTEFFORT";
            case SERVICETYPE_CONTROLLEDLOAD:
                return "CONTROLLEDLOAD";
            case SERVICETYPE_GUARANTEED:
                return "GUARANTEED";
            default:
                return "0x" + Integer.toHexString(type);
        }
    }
}
