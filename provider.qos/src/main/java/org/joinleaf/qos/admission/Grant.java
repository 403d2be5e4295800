package org.joinleaf.qos.admission;

import org.joinleaf.api.QOS;
import org.joinleaf.qos.FlowGrant;
import org.joinleaf.qos.QosRejectedException;
import org.joinleaf.qos.Shaper;
import org.joinleaf.qos.shaping.TokenBucketShaper;

/** One socket's admitted flow. The monitor orders renegotiation against release; it is never held while calling out. */
final class Grant implements FlowGrant {
    private final AdmissionControl admission;
    private final String scope;
    private final ScopeLedger ledger;
    private int direction;
    private final TokenBucketShaper shaper = new TokenBucketShaper();
    private QOS qos;
    private long reserved;
    private boolean released;

    Grant(AdmissionControl admission, String scope, ScopeLedger ledger, int direction, FlowDemand demand) {
        this.admission = admission;
        this.scope = scope;
        this.ledger = ledger;
        this.direction = direction;
        apply(demand);
    }

    @Override
    public String scope() {
        return scope;
    }

    @Override
    public synchronized QOS qos() {
        return new QOS(qos);
    }

    @Override
    public synchronized long reservedRate() {
        return reserved;
    }

    @Override
    public Shaper shaper() {
        return shaper;
    }

    @Override
    public synchronized void renegotiate(QOS requested) throws QosRejectedException {
        renegotiate(requested, direction);
    }

    @Override
    public synchronized void renegotiate(QOS requested, int newDirection) throws QosRejectedException {
        if (released) {
            throw new IllegalStateException("this QoS grant was released (socket closed); admit a new flow");
        }
        apply(admission.reserve(scope, ledger, reserved, requested, qos, newDirection));
        direction = newDirection;
    }

    @Override
    public synchronized void release() {
        if (!released) {
            released = true;
            ledger.release(reserved);
            reserved = 0;
            shaper.configureUnlimited();
        }
    }

    private void apply(FlowDemand demand) {
        qos = demand.effective();
        reserved = demand.reservation();
        if (demand.shapeRate() > 0) {
            shaper.configure(demand.shapeRate(), demand.shapeBucket(), demand.shapePeak());
        } else {
            shaper.configureUnlimited();
        }
    }

    @Override
    public synchronized String toString() {
        return "FlowGrant{scope=" + scope + ", reserved=" + reserved + " B/s, " + qos + (released ? ", released}" : "}");
    }
}
