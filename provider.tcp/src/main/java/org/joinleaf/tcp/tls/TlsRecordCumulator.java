package org.joinleaf.tcp.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * How the {@code SslHandler} gathers a TLS record that arrives in several reads: when the bytes in hand no longer
 * fit, into a new buffer of exactly the record's size (header included), or of exactly the bytes in hand while the
 * header is incomplete. Netty's merge cumulator grows to the next power of two, so a partial 18 KiB record (the most
 * {@link TlsRecordGuard} lets through) held 32 KiB: times {@code maxPendingHandshakes} (1,024) that is the gateway's
 * whole 32 MB of direct memory, against the 18.4 MB the pending-handshake budget counts (issue 11 item 2). One
 * copy per record that spans reads, as with the merge cumulator. Stateless and sharable.
 */
public final class TlsRecordCumulator implements ByteToMessageDecoder.Cumulator {
    public static final TlsRecordCumulator INSTANCE = new TlsRecordCumulator();
    private static final int HEADER = 5;

    private TlsRecordCumulator() {
    }

    @Override
    public ByteBuf cumulate(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
        if (cumulation == in) {
            in.release(); // passed twice, retained twice (ByteToMessageDecoder's contract)
            return cumulation;
        }
        if (!cumulation.isReadable() && in.isContiguous()) {
            cumulation.release();
            return in;
        }
        try {
            int required = in.readableBytes();
            if (required <= cumulation.writableBytes() && cumulation.refCnt() == 1 && !cumulation.isReadOnly()) {
                cumulation.writeBytes(in);
                return cumulation;
            }
            int held = cumulation.readableBytes();
            ByteBuf grown = alloc.buffer(Math.max(held + required, recordSize(cumulation)));
            ByteBuf toRelease = grown;
            try {
                grown.writeBytes(cumulation).writeBytes(in);
                toRelease = cumulation;
                return grown;
            } finally {
                toRelease.release();
            }
        } finally {
            in.release();
        }
    }

    /** The size of the record starting at {@code buf}'s reader index, header included; 0 before a whole header. */
    static int recordSize(ByteBuf buf) {
        if (buf.readableBytes() < HEADER) {
            return 0;
        }
        return HEADER + buf.getUnsignedShort(buf.readerIndex() + 3);
    }
}
