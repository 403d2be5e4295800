package org.joinleaf.qos.admission;

import static org.joinleaf.api.Winsock2.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.joinleaf.api.WSABUF;
import org.joinleaf.qos.QosRejectedException;

/**
 * Rule Q8: the {@code QOS.ProviderSpecific} buffer is a list of objects, each starting with
 * {@code QOS_OBJECT_HDR{ULONG ObjectType; ULONG ObjectLength}} (little-endian, as on Windows; ObjectLength counts
 * the header). The list ends at {@code QOS_OBJECT_END_OF_LIST} or at the end of the buffer. The known objects are
 * checked for shape and value, then not interpreted: shaping follows the flowspec.
 */
final class ProviderSpecificObjects {
    private static final int HEADER = 8;
    /** {@code QOS_SD_MODE} and {@code QOS_SHAPING_RATE}: the header and one ULONG. */
    private static final int HEADER_AND_ULONG = 12;
    /** {@code QOS_DESTADDR}: the header, a pointer and a ULONG; 16 bytes with 32-bit pointers. */
    private static final int DESTADDR_MIN = 16;
    private static final int TC_NONCONF_BORROW_PLUS = 3;

    private ProviderSpecificObjects() {
    }

    static void check(WSABUF buffer) throws QosRejectedException {
        if (buffer == null || buffer.len == 0) {
            return;
        }
        if (buffer.len < 0 || buffer.buf == null || buffer.len > buffer.buf.length) {
            throw new QosRejectedException(WSA_QOS_EPROVSPECBUF, "ProviderSpecific.len " + buffer.len
                    + " does not fit its buffer of " + (buffer.buf == null ? 0 : buffer.buf.length)
                    + " bytes; set len to the number of bytes of QOS objects, or 0");
        }
        ByteBuffer objects = ByteBuffer.wrap(buffer.buf, 0, buffer.len).order(ByteOrder.LITTLE_ENDIAN);
        while (objects.hasRemaining()) {
            int at = objects.position();
            if (objects.remaining() < HEADER) {
                throw new QosRejectedException(WSA_QOS_EPROVSPECBUF, "ProviderSpecific ends with "
                        + objects.remaining() + " bytes at offset " + at
                        + ", too short for a QOS_OBJECT_HDR (8 bytes); fix len or end the list with"
                        + " QOS_OBJECT_END_OF_LIST");
            }
            int type = objects.getInt(at);
            long length = Integer.toUnsignedLong(objects.getInt(at + 4));
            if (length < HEADER || length > objects.remaining()) {
                throw new QosRejectedException(WSA_QOS_EOBJLENGTH, "QOS object " + type + " at offset " + at
                        + " has ObjectLength " + length + "; it must count its 8-byte header and fit the "
                        + objects.remaining() + " bytes left");
            }
            switch (type) {
                case QOS_OBJECT_END_OF_LIST:
                    return;
                case QOS_OBJECT_SD_MODE:
                    requireLength(type, "QOS_SD_MODE", length, HEADER_AND_ULONG, at);
                    long mode = Integer.toUnsignedLong(objects.getInt(at + HEADER));
                    if (mode > TC_NONCONF_BORROW_PLUS) {
                        throw new QosRejectedException(WSA_QOS_ESDMODEOBJ, "QOS_SD_MODE at offset " + at
                                + " has ShapeDiscardMode " + mode + "; use TC_NONCONF_BORROW (0), _SHAPE (1),"
                                + " _DISCARD (2) or _BORROW_PLUS (3)");
                    }
                    break;
                case QOS_OBJECT_SHAPING_RATE:
                    requireLength(type, "QOS_SHAPING_RATE", length, HEADER_AND_ULONG, at);
                    if (objects.getInt(at + HEADER) == 0) {
                        throw new QosRejectedException(WSA_QOS_ESHAPERATEOBJ, "QOS_SHAPING_RATE at offset " + at
                                + " has ShapingRate 0; give a rate in bytes per second");
                    }
                    break;
                case QOS_OBJECT_DESTADDR:
                    if (length < DESTADDR_MIN) {
                        throw new QosRejectedException(WSA_QOS_EOBJLENGTH, "QOS_DESTADDR at offset " + at
                                + " has ObjectLength " + length + "; it needs at least " + DESTADDR_MIN);
                    }
                    break;
                default:
                    throw new QosRejectedException(WSA_QOS_EUNKNOWNPSOBJ, "QOS object type " + type + " at offset "
                            + at + " is unknown; known: QOS_OBJECT_END_OF_LIST (2001), _SD_MODE (2002),"
                            + " _SHAPING_RATE (2003), _DESTADDR (2004)");
            }
            objects.position(at + (int) length);
        }
    }

    private static void requireLength(int type, String name, long length, int expected, int at)
            throws QosRejectedException {
        if (length != expected) {
            throw new QosRejectedException(WSA_QOS_EOBJLENGTH, name + " (" + type + ") at offset " + at
                    + " has ObjectLength " + length + "; it must be " + expected);
        }
    }
}
