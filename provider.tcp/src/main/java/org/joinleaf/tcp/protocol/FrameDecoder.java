package org.joinleaf.tcp.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/**
 * Turns one length-stripped frame into a {@link Frame}. Stateless and {@link Sharable}; it sits after the
 * per-connection splitter from {@link FrameCodec#newFrameSplitter}.
 *
 * <p>Pitfall: a violation is thrown as {@link ProtocolViolationException}; the input buffer is released by the base
 * class either way, and a {@link Frame.Data} passed on holds its own reference.
 */
@Sharable
public final class FrameDecoder extends MessageToMessageDecoder<ByteBuf> {
    private final int maxConnectData;
    private final int maxMessageSize;

    public FrameDecoder(int maxConnectData, int maxMessageSize) {
        super(ByteBuf.class);
        this.maxConnectData = maxConnectData;
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        out.add(FrameCodec.decode(in, maxConnectData, maxMessageSize));
    }
}
