package org.joinleaf.bench.tcp;

import static org.joinleaf.api.Winsock2.JL_BOTH;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.joinleaf.tcp.protocol.Frame;
import org.joinleaf.tcp.protocol.FrameCodec;

/** Frames as the bytes a raw socket peer writes (PROTOCOL.md), for benchmark peers that are not joinleaf leaves. */
final class RawFrames {
    private RawFrames() {
    }

    /** A JOIN with JL_BOTH, no caller data and no QoS. */
    static byte[] join() {
        return bytes(new Frame.Join(false, FrameCodec.VERSION, JL_BOTH, new byte[0], null));
    }

    static byte[] bytes(Frame frame) {
        ByteBuf buf = FrameCodec.encode(UnpooledByteBufAllocator.DEFAULT, frame);
        try {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }
}
