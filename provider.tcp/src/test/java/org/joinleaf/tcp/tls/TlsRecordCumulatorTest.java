package org.joinleaf.tcp.tls;

import static org.junit.Assert.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.Test;

/**
 * Issue 11 item 2, the MUTUAL_TLS partial-record case: a TLS record gathered across reads before the handshake
 * completes holds a buffer of the record's own size, so the pending-handshake budget (one record of at most
 * {@link TlsRecordGuard#MAX_RECORD} + 5 bytes per connection) is what a connection really holds. Netty's merge
 * cumulator held 32 KiB for the largest record.
 */
public class TlsRecordCumulatorTest {
    private static final ByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);
    private static final int READ = 4096;

    @Test // issue 11 item 2: the largest partial record, read 4 KiB at a time, holds exactly its own size
    public void aPartialRecordHoldsItsOwnSize() {
        int record = 5 + TlsRecordGuard.MAX_RECORD;
        byte[] bytes = partialRecord();
        ByteBuf cumulation = read(bytes, 0);
        for (int off = READ; off < bytes.length; off += READ) {
            cumulation = TlsRecordCumulator.INSTANCE.cumulate(ALLOC, cumulation, read(bytes, off));
        }
        try {
            assertEquals(bytes.length, cumulation.readableBytes());
            assertEquals("one buffer of the record's size", record, cumulation.capacity());
            for (int i = 0; i < bytes.length; i++) {
                assertEquals(bytes[i], cumulation.getByte(i));
            }
        } finally {
            cumulation.release();
        }
    }

    @Test // the bytes in hand, in order, when no whole header is there yet to size the record by
    public void beforeAWholeHeaderItHoldsTheBytesInHand() {
        ByteBuf first = ALLOC.buffer(2, 2).writeByte(0x16).writeByte(3);
        ByteBuf c = TlsRecordCumulator.INSTANCE.cumulate(ALLOC, first, ALLOC.buffer(2, 2).writeByte(3).writeByte(0));
        try {
            assertEquals(4, c.readableBytes());
            assertEquals(4, c.capacity());
            assertEquals(0x16, c.getByte(0));
            assertEquals(0, c.getByte(3));
        } finally {
            c.release();
        }
    }

    /** The header of the largest record TLS allows and all of its body but the last byte (zeros). */
    public static byte[] partialRecord() {
        int max = TlsRecordGuard.MAX_RECORD;
        byte[] r = new byte[5 + max - 1];
        r[0] = 0x16; // handshake
        r[1] = 3;
        r[2] = 3;
        r[3] = (byte) (max >> 8);
        r[4] = (byte) max;
        return r;
    }

    /** One read of at most {@value #READ} bytes from {@code off}, in a buffer of the read's size. */
    private static ByteBuf read(byte[] bytes, int off) {
        int n = Math.min(READ, bytes.length - off);
        return ALLOC.buffer(n, n).writeBytes(bytes, off, n);
    }
}
