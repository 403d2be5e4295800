package org.joinleaf.tcp.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.util.ReferenceCountUtil;

/**
 * Sits in front of the {@code SslHandler} and reads only the 5-byte TLS record headers going by: a record announcing
 * more than {@link #MAX_RECORD} bytes fails the connection as a TLS failure at once. The {@code SslHandler} buffers a
 * record until it is whole and trusts the header's 16-bit length, so without this guard a peer could pin 64 KiB per
 * connection with one partial record (before admission: times {@code maxPendingHandshakes}); with it, at most one
 * legal record, {@value #MAX_RECORD} + 5 bytes. Nothing is buffered or copied here. Not sharable.
 */
public final class TlsRecordGuard extends ChannelInboundHandlerAdapter {
    /** RFC 5246 section 6.2.3: a TLSCiphertext fragment is at most 2^14 + 2048 bytes (TLS 1.3 allows less). */
    public static final int MAX_RECORD = (1 << 14) + 2048;
    private static final int HEADER = 5;

    private final byte[] header = new byte[HEADER];
    private int headerFill;
    /** Body bytes of the current record still to come. */
    private int remaining;
    private boolean failed;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (failed) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof ByteBuf buf) {
            int i = buf.readerIndex();
            int end = buf.writerIndex();
            while (i < end) {
                if (remaining > 0) {
                    int skip = Math.min(remaining, end - i);
                    i += skip;
                    remaining -= skip;
                    continue;
                }
                header[headerFill++] = buf.getByte(i++);
                if (headerFill == HEADER) {
                    headerFill = 0;
                    remaining = (header[3] & 0xFF) << 8 | (header[4] & 0xFF);
                    if (remaining > MAX_RECORD) {
                        failed = true;
                        buf.release();
                        throw new NotSslRecordException("TLS record of " + remaining
                                + " bytes exceeds the protocol's maximum of " + MAX_RECORD);
                    }
                }
            }
        }
        ctx.fireChannelRead(msg);
    }
}
