package org.joinleaf.tcp.protocol;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Encodes control frames. DATA frames are written already encoded (a {@code ByteBuf}) so a fan-out encodes once
 * and every leaf gets a retained duplicate; such buffers pass this encoder untouched. Stateless and
 * {@link Sharable}.
 */
@Sharable
public final class FrameEncoder extends MessageToMessageEncoder<Frame> {
    public static final FrameEncoder INSTANCE = new FrameEncoder();

    private FrameEncoder() {
        super(Frame.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Frame frame, List<Object> out) {
        out.add(FrameCodec.encode(ctx.alloc(), frame));
    }
}
