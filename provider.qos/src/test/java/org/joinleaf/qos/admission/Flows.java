package org.joinleaf.qos.admission;

import static org.joinleaf.api.Winsock2.QOS_NOT_SPECIFIED;
import static org.joinleaf.api.Winsock2.SERVICETYPE_NOTRAFFIC;

import org.joinleaf.api.FLOWSPEC;
import org.joinleaf.api.QOS;

/** Builders for the flowspecs of the tests; {@code N} is QOS_NOT_SPECIFIED. */
final class Flows {
    static final int N = QOS_NOT_SPECIFIED;

    private Flows() {
    }

    /** A flowspec with the given type, rate, bucket and peak; the other fields defaulted. */
    static FLOWSPEC spec(int type, int tokenRate, int bucket, int peak) {
        FLOWSPEC f = new FLOWSPEC();
        f.ServiceType = type;
        f.TokenRate = tokenRate;
        f.TokenBucketSize = bucket;
        f.PeakBandwidth = peak;
        return f;
    }

    static FLOWSPEC spec(int type, int tokenRate) {
        return spec(type, tokenRate, N, N);
    }

    /** A flowspec with only the packet sizes set. */
    static FLOWSPEC sizes(int type, int tokenRate, int maxSduSize, int minimumPolicedSize) {
        FLOWSPEC f = spec(type, tokenRate);
        f.MaxSduSize = maxSduSize;
        f.MinimumPolicedSize = minimumPolicedSize;
        return f;
    }

    static QOS qos(FLOWSPEC sending, FLOWSPEC receiving) {
        QOS q = new QOS();
        q.SendingFlowspec = sending;
        q.ReceivingFlowspec = receiving;
        return q;
    }

    static QOS sending(FLOWSPEC sending) {
        return qos(sending, spec(SERVICETYPE_NOTRAFFIC, N));
    }

    static QOS receiving(FLOWSPEC receiving) {
        return qos(spec(SERVICETYPE_NOTRAFFIC, N), receiving);
    }
}
