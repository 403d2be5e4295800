package org.joinleaf.qos;

import org.joinleaf.api.WSAError;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.WsaException;

/**
 * A QoS request that cannot be met: always {@code WSAEOPNOTSUPP} (decisions 10), with the {@code WSA_QOS_*} code
 * that says why ({@link #reason()}), for the message and for an {@code FD_QOS} the provider may post.
 */
public class QosRejectedException extends WsaException {
    private static final long serialVersionUID = 1L;

    private final int reason;

    /**
     * @param reason a {@code WSA_QOS_*} code
     * @param detail what was wrong and what to do, without the reason's name (it is prefixed)
     */
    public QosRejectedException(int reason, String detail) {
        super(Winsock2.WSAEOPNOTSUPP, WSAError.nameOf(reason) + ": " + detail);
        this.reason = reason;
    }

    /** The {@code WSA_QOS_*} code, for example {@code WSA_QOS_EFLOWSPEC} or {@code WSA_QOS_ADMISSION_FAILURE}. */
    public int reason() {
        return reason;
    }
}
