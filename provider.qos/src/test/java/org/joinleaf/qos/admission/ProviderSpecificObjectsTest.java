package org.joinleaf.qos.admission;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.joinleaf.api.WSABUF;
import org.joinleaf.api.WSAError;
import org.joinleaf.qos.QosRejectedException;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameter;
import org.junit.runners.Parameterized.Parameters;

/** Rule Q8 (§5 "Provider-specific objects"): the QOS_OBJECT_HDR list of QOS.ProviderSpecific, one row per case. */
@RunWith(Parameterized.class)
public class ProviderSpecificObjectsTest {
    private static final int OK = 0;

    @Parameter(0)
    public String rule;
    @Parameter(1)
    public WSABUF buffer;
    @Parameter(2)
    public int reason;

    @Parameters(name = "{0}")
    public static List<Object[]> cases() {
        byte[] sdMode = object(QOS_OBJECT_SD_MODE, 12, 1);
        byte[] end = object(QOS_OBJECT_END_OF_LIST, 8);
        return Arrays.asList(new Object[][] {
            {"Q8 len 0 means unused", new WSABUF(), OK},
            {"Q8 END_OF_LIST alone", WSABUF.of(end), OK},
            {"Q8 SD_MODE then END_OF_LIST", WSABUF.of(concat(sdMode, end)), OK},
            {"Q8 list ending at the buffer end", WSABUF.of(concat(sdMode, object(QOS_OBJECT_SHAPING_RATE, 12, 4096))), OK},
            {"Q8 bytes after END_OF_LIST are not read", WSABUF.of(concat(end, new byte[] {1, 2, 3})), OK},
            {"Q8 only len bytes are read", new WSABUF(8, concat(end, new byte[] {9, 9, 9, 9, 9})), OK},
            {"Q8 DESTADDR with a 64-bit pointer", WSABUF.of(object(QOS_OBJECT_DESTADDR, 24, 0, 0, 16, 0)), OK},
            {"Q8 all four TC_NONCONF modes", WSABUF.of(concat(object(QOS_OBJECT_SD_MODE, 12, 0),
                    object(QOS_OBJECT_SD_MODE, 12, 2), object(QOS_OBJECT_SD_MODE, 12, 3))), OK},
            {"Q8 len beyond the buffer", new WSABUF(16, new byte[8]), WSA_QOS_EPROVSPECBUF},
            {"Q8 len without a buffer", new WSABUF(8, null), WSA_QOS_EPROVSPECBUF},
            {"Q8 negative len", new WSABUF(-1, new byte[8]), WSA_QOS_EPROVSPECBUF},
            {"Q8 trailing bytes shorter than a header", WSABUF.of(concat(sdMode, new byte[4])), WSA_QOS_EPROVSPECBUF},
            {"Q8 ObjectLength smaller than the header", WSABUF.of(object(QOS_OBJECT_SD_MODE, 4, 1)), WSA_QOS_EOBJLENGTH},
            {"Q8 ObjectLength past the buffer", WSABUF.of(object(QOS_OBJECT_SD_MODE, 16, 1)), WSA_QOS_EOBJLENGTH},
            {"Q8 ObjectLength read unsigned", WSABUF.of(object(QOS_OBJECT_SD_MODE, 0x80000000, 1)), WSA_QOS_EOBJLENGTH},
            {"Q8 SD_MODE of the wrong size", WSABUF.of(object(QOS_OBJECT_SD_MODE, 16, 1, 0)), WSA_QOS_EOBJLENGTH},
            {"Q8 SHAPING_RATE of the wrong size", WSABUF.of(object(QOS_OBJECT_SHAPING_RATE, 8)), WSA_QOS_EOBJLENGTH},
            {"Q8 DESTADDR too short for its pointer", WSABUF.of(object(QOS_OBJECT_DESTADDR, 12, 0)), WSA_QOS_EOBJLENGTH},
            {"Q8 SD_MODE 4 is no mode", WSABUF.of(object(QOS_OBJECT_SD_MODE, 12, 4)), WSA_QOS_ESDMODEOBJ},
            {"Q8 SD_MODE read unsigned", WSABUF.of(object(QOS_OBJECT_SD_MODE, 12, -1)), WSA_QOS_ESDMODEOBJ},
            {"Q8 SHAPING_RATE 0", WSABUF.of(object(QOS_OBJECT_SHAPING_RATE, 12, 0)), WSA_QOS_ESHAPERATEOBJ},
            {"Q8 unknown object type", WSABUF.of(object(2005, 8)), WSA_QOS_EUNKNOWNPSOBJ},
            {"Q8 unknown object after a good one", WSABUF.of(concat(sdMode, object(1000, 8), end)), WSA_QOS_EUNKNOWNPSOBJ},
            {"Q8 header read little-endian (a big-endian length is huge)", WSABUF.of(bigEndianEndOfList()), WSA_QOS_EOBJLENGTH},
        });
    }

    @Test
    public void rule() {
        try {
            ProviderSpecificObjects.check(buffer);
            assertEquals(rule + ": accepted", WSAError.nameOf(reason), WSAError.nameOf(OK));
        } catch (QosRejectedException e) {
            if (reason == OK) {
                fail(rule + ": refused with " + e);
            }
            assertEquals(rule + ": " + e, WSAError.nameOf(reason), WSAError.nameOf(e.reason()));
            assertEquals(WSAEOPNOTSUPP, e.code());
        }
    }

    /** A QOS object: type, ObjectLength, then the given ULONGs, little-endian as on Windows. */
    private static byte[] object(int type, int length, int... ulongs) {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 * ulongs.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(type).putInt(length);
        for (int v : ulongs) {
            b.putInt(v);
        }
        return b.array();
    }

    private static byte[] bigEndianEndOfList() {
        return ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putInt(QOS_OBJECT_END_OF_LIST).putInt(8).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
