package org.joinleaf.tcp;

import java.util.Map;
import org.joinleaf.api.QOS;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.qos.QosService;
import org.joinleaf.qos.admission.AdmissionControl;
import org.joinleaf.spi.ConnectRequest;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.junit.Before;

/**
 * A provider with the real QoS service bound (plain objects), sockets on its QoS-capable entries, and the flowspecs
 * the QoS tests use. Scope "tcp" has {@link #CAPACITY} bytes/s for reserved flows.
 */
abstract class QosFixture extends ProviderFixture {
    /** Bytes/s of one test flow: small enough that shaping is visible with small messages. */
    static final int RATE = 1000;
    /** Capacity of scope "tcp": exactly 80 flows of {@link #RATE}. */
    static final long CAPACITY = 80L * RATE;

    final QosService qos = AdmissionControl.configured(Map.of("scopeCapacities", new String[] {"tcp=" + CAPACITY}));

    @Before
    public void bindQos() {
        provider.bindQos(qos);
    }

    /** A socket on a QoS-capable (XP1_QOS_SUPPORTED) entry. */
    MultipointSocket qosSocket(boolean rootedData, int flags, RecordingUpcalls upcalls)
            throws Exception {
        return socket(provider.qosEntries(), rootedData, flags, upcalls);
    }

    /** Sending CONTROLLEDLOAD at {@code rate} with a bucket of {@code bucket} bytes; receiving best effort. */
    static QOS controlledLoad(int rate, int bucket) {
        QOS q = new QOS();
        q.SendingFlowspec.ServiceType = Winsock2.SERVICETYPE_CONTROLLEDLOAD;
        q.SendingFlowspec.TokenRate = rate;
        q.SendingFlowspec.TokenBucketSize = bucket;
        q.ReceivingFlowspec.ServiceType = Winsock2.SERVICETYPE_BESTEFFORT;
        return q;
    }

    static ConnectRequest qosRequest(SOCKADDR name, QOS qos, int direction) {
        return new ConnectRequest(name, null, 0, qos, direction, null);
    }

    static QOS getQos(ProviderSocket s) throws Exception {
        QOS out = new QOS();
        s.ioctl(Winsock2.SIO_GET_QOS, null, out);
        return out;
    }
}
