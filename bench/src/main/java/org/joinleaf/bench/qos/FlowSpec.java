package org.joinleaf.bench.qos;

import static org.joinleaf.api.Winsock2.SERVICETYPE_BESTEFFORT;
import static org.joinleaf.api.Winsock2.SERVICETYPE_CONTROLLEDLOAD;

import org.joinleaf.api.QOS;

/**
 * One flow of a trial: shaped ({@code tokenRate} bytes/s, a bucket of 100 ms of rate, CONTROLLEDLOAD) or unshaped
 * ({@code tokenRate} 0: joined without lpSQOS).
 */
record FlowSpec(long tokenRate) {
    static final FlowSpec UNSHAPED = new FlowSpec(0);

    boolean shaped() {
        return tokenRate > 0;
    }

    /** 100 ms of rate, the QoS service's own default bucket (at most its 1 MiB maximum). */
    long bucketBytes() {
        return Math.min(tokenRate / 10, 1024 * 1024);
    }

    /** The join's lpSQOS; null when unshaped. */
    QOS qos() {
        if (!shaped()) {
            return null;
        }
        QOS q = new QOS();
        q.SendingFlowspec.ServiceType = SERVICETYPE_CONTROLLEDLOAD;
        q.SendingFlowspec.TokenRate = (int) tokenRate;
        q.SendingFlowspec.TokenBucketSize = (int) bucketBytes();
        q.ReceivingFlowspec.ServiceType = SERVICETYPE_BESTEFFORT;
        return q;
    }

    /** "unshaped", or the rate as "64KiB", "1MiB", "10MiB". */
    String label() {
        if (!shaped()) {
            return "unshaped";
        }
        return tokenRate % (1024 * 1024) == 0 ? tokenRate / (1024 * 1024) + "MiB" : tokenRate / 1024 + "KiB";
    }
}
