package org.joinleaf.api;

/**
 * {@code FLOWSPEC} (qos.h): one direction of a flow. Fields are unsigned 32-bit values held in {@code int}s, as in C;
 * {@link Winsock2#QOS_NOT_SPECIFIED} ({@code 0xFFFFFFFF}) means "use the default" where the defaulting rules allow it
 * (§5): in a sending flowspec every field but {@code ServiceType} and {@code TokenRate}; in a receiving flowspec
 * every field but {@code ServiceType}.
 */
public final class FLOWSPEC {
    /** Bytes per second, long-term average. */
    public int TokenRate = Winsock2.QOS_NOT_SPECIFIED;
    /** Bytes: the largest credit that can build up. */
    public int TokenBucketSize = Winsock2.QOS_NOT_SPECIFIED;
    /** Bytes per second: burst ceiling; when given it must be at least {@code TokenRate}. */
    public int PeakBandwidth = Winsock2.QOS_NOT_SPECIFIED;
    /** Microseconds: the largest acceptable delay. */
    public int Latency = Winsock2.QOS_NOT_SPECIFIED;
    /** Microseconds: maximum minus minimum delay. */
    public int DelayVariation = Winsock2.QOS_NOT_SPECIFIED;
    /** {@code SERVICETYPE_*}; never defaulted. */
    public int ServiceType = Winsock2.SERVICETYPE_NOTRAFFIC;
    /** Bytes: the largest packet. */
    public int MaxSduSize = Winsock2.QOS_NOT_SPECIFIED;
    /** Bytes: smaller packets are policed as this size. */
    public int MinimumPolicedSize = Winsock2.QOS_NOT_SPECIFIED;

    /** {@code sizeof(FLOWSPEC)}: 8 ULONGs. */
    public static final int SIZE = 32;

    /** A flowspec with every field defaulted and {@code SERVICETYPE_NOTRAFFIC}. */
    public FLOWSPEC() {
    }

    /** A copy of {@code other}. */
    public FLOWSPEC(FLOWSPEC other) {
        TokenRate = other.TokenRate;
        TokenBucketSize = other.TokenBucketSize;
        PeakBandwidth = other.PeakBandwidth;
        Latency = other.Latency;
        DelayVariation = other.DelayVariation;
        ServiceType = other.ServiceType;
        MaxSduSize = other.MaxSduSize;
        MinimumPolicedSize = other.MinimumPolicedSize;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FLOWSPEC)) {
            return false;
        }
        FLOWSPEC f = (FLOWSPEC) o;
        return TokenRate == f.TokenRate && TokenBucketSize == f.TokenBucketSize && PeakBandwidth == f.PeakBandwidth
                && Latency == f.Latency && DelayVariation == f.DelayVariation && ServiceType == f.ServiceType
                && MaxSduSize == f.MaxSduSize && MinimumPolicedSize == f.MinimumPolicedSize;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(TokenRate, TokenBucketSize, PeakBandwidth, Latency, DelayVariation,
                ServiceType, MaxSduSize, MinimumPolicedSize);
    }

    @Override
    public String toString() {
        return "FLOWSPEC{ServiceType=" + ServiceType + ", TokenRate=" + Integer.toUnsignedString(TokenRate)
                + ", TokenBucketSize=" + Integer.toUnsignedString(TokenBucketSize)
                + ", PeakBandwidth=" + Integer.toUnsignedString(PeakBandwidth) + "}";
    }
}
