package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;

import org.joinleaf.api.FLOWSPEC;
import org.joinleaf.api.QOS;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.spi.WsaException;

/**
 * The QoS rules that hold for every provider (§5, decisions 10, R8, R33–R35). Admission, shaping and the full
 * flowspec model belong to QoS-capable providers; here only what can be decided from the catalog entry.
 */
final class QosPreconditions {
    private QosPreconditions() {
    }

    /** Checks {@code lpSQOS} for the directions the join uses; the unused direction is ignored (R34). */
    static void check(WSAPROTOCOL_INFO entry, QOS qos, int direction) throws WsaException {
        if (qos == null) {
            return; // R33: no QoS requested
        }
        if (qos.ProviderSpecific != null && qos.ProviderSpecific.len != 0 && (qos.ProviderSpecific.len < 0
                || qos.ProviderSpecific.buf == null || qos.ProviderSpecific.len > qos.ProviderSpecific.buf.length)) {
            throw new WsaException(WSAEFAULT, "lpSQOS->ProviderSpecific.len is larger than its buffer");
        }
        if (direction != JL_RECEIVER_ONLY) {
            check(entry, qos.SendingFlowspec, true);
        }
        if (direction != JL_SENDER_ONLY) {
            check(entry, qos.ReceivingFlowspec, false);
        }
    }

    private static void check(WSAPROTOCOL_INFO entry, FLOWSPEC f, boolean sending) throws WsaException {
        if (f == null) {
            throw new WsaException(WSAEFAULT, "a QOS must hold both flowspecs");
        }
        int type = f.ServiceType & ~SERVICE_NO_QOS_SIGNALING;
        if (type == SERVICETYPE_NOTRAFFIC || type == SERVICETYPE_NOCHANGE) {
            return;
        }
        String dir = sending ? "sending" : "receiving";
        if (sending && f.TokenRate == QOS_NOT_SPECIFIED) {
            throw new WsaException(WSAEOPNOTSUPP, "the " + dir + " flowspec leaves TokenRate as QOS_NOT_SPECIFIED,"
                    + " which cannot be met; give the average rate in bytes per second");
        }
        if (!entry.has(XP1_QOS_SUPPORTED) && type != SERVICETYPE_BESTEFFORT) {
            throw new WsaException(WSAEOPNOTSUPP, "catalog entry '" + entry.szProtocol + "' has no"
                    + " XP1_QOS_SUPPORTED and cannot meet service type " + type + " in the " + dir
                    + " flowspec; use SERVICETYPE_BESTEFFORT, lpSQOS = NULL, or a QoS provider");
        }
    }

    /** The QoS ioctls on an entry without QoS (§5). */
    static void requireQosProvider(WSAPROTOCOL_INFO entry) throws WsaException {
        if (!entry.has(XP1_QOS_SUPPORTED)) {
            throw new WsaException(WSAENOPROTOOPT, "catalog entry '" + entry.szProtocol
                    + "' has no XP1_QOS_SUPPORTED; QoS ioctls are not available on it");
        }
    }
}
