package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.WSAEFAULT;

import org.joinleaf.api.QOS;
import org.joinleaf.spi.WsaException;

/** Reads and checks the untyped buffers of {@code WSAIoctl} and {@code getsockopt}: too small is WSAEFAULT. */
final class IoctlBuffers {
    private IoctlBuffers() {
    }

    /** A 4-byte input: {@code int[1]} as in C, or a boxed {@code Integer}/{@code Boolean}. */
    static int intIn(Object in, int cb, String what) throws WsaException {
        if (cb >= 4) {
            if (in instanceof int[] && ((int[]) in).length >= 1) {
                return ((int[]) in)[0];
            }
            if (in instanceof Integer) {
                return (Integer) in;
            }
            if (in instanceof Boolean) {
                return (Boolean) in ? 1 : 0;
            }
        }
        throw new WsaException(WSAEFAULT, "the input buffer must be a 4-byte " + what + " (int[1], cbInBuffer >= 4)");
    }

    static QOS qosIn(Object in, int cb) throws WsaException {
        if (in instanceof QOS && cb >= QOS.SIZE) {
            return (QOS) in;
        }
        throw new WsaException(WSAEFAULT, "the input buffer must be a QOS with cbInBuffer >= " + QOS.SIZE);
    }

    static QOS qosOut(Object out, int cb) throws WsaException {
        if (out instanceof QOS && cb >= QOS.SIZE) {
            return (QOS) out;
        }
        throw new WsaException(WSAEFAULT, "the output buffer must be a QOS with cbOutBuffer >= " + QOS.SIZE);
    }

    static int[] intOut(Object out, int len) throws WsaException {
        if (out instanceof int[] && ((int[]) out).length >= 1 && len >= 4) {
            return (int[]) out;
        }
        throw new WsaException(WSAEFAULT, "the option buffer must be int[1] with optlen >= 4");
    }
}
