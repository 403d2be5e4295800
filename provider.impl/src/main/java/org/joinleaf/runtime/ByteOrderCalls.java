package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;

import org.joinleaf.api.SOCKET;
import org.joinleaf.spi.WsaException;

/**
 * {@code WSAHtons}, {@code WSAHtonl}, {@code WSANtohs}, {@code WSANtohl}: the byte-order converters of
 * {@link org.joinleaf.api.Winsock2} for a socket, with Winsock's checks (startup, a socket of this process, an
 * out parameter). Every catalog entry here is big-endian on the wire ({@code iNetworkByteOrder} 0).
 */
final class ByteOrderCalls {
    private final DescriptorTable table;

    ByteOrderCalls(DescriptorTable table) {
        this.table = table;
    }

    int shortConversion(SOCKET s, short value, short[] out) throws WsaException {
        table.lookup(s);
        if (out == null || out.length < 1) {
            throw new WsaException(WSAEFAULT, "the out parameter (short[1]) is required");
        }
        out[0] = htons(value); // a swap: htons and ntohs are the same operation
        return 0;
    }

    int intConversion(SOCKET s, int value, int[] out) throws WsaException {
        table.lookup(s);
        if (out == null || out.length < 1) {
            throw new WsaException(WSAEFAULT, "the out parameter (int[1]) is required");
        }
        out[0] = htonl(value);
        return 0;
    }
}
