package org.joinleaf.tcp.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import org.joinleaf.api.QOS;

/**
 * One decoded frame of the wire protocol (PROTOCOL.md). Control frames are plain values; {@link Data} holds its
 * payload as a reference-counted {@link ByteBuf}.
 *
 * <p>Pitfall: whoever receives a {@link Data} from the pipeline owns one reference and must release it
 * ({@code ReferenceCountUtil.release(frame)} is safe for every frame type).
 */
public sealed interface Frame permits Frame.Join, Frame.Accept, Frame.Reject, Frame.Data, Frame.Leave,
        Frame.Ping, Frame.Pong {

    /** The frame's type octet. */
    FrameType type();

    /**
     * JOIN (a leaf asks a listening root to admit it) or INVITE (a root asks a listening leaf to join).
     *
     * @param direction  the joining leaf's {@code JL_*} direction, always from the leaf's point of view
     * @param callerData caller data, never {@code null} (empty when none was given)
     * @param qos        the caller's flowspecs, or {@code null}
     */
    record Join(boolean invite, int version, int direction, byte[] callerData, QOS qos) implements Frame {
        @Override
        public FrameType type() {
            return invite ? FrameType.INVITE : FrameType.JOIN;
        }
    }

    /** ACCEPT: the callee admitted the caller; {@code calleeData} is never {@code null} (empty when none). */
    record Accept(byte[] calleeData) implements Frame {
        @Override
        public FrameType type() {
            return FrameType.ACCEPT;
        }
    }

    /** REJECT: the callee refused; {@code code} is the Winsock code the caller should see. */
    record Reject(int code) implements Frame {
        @Override
        public FrameType type() {
            return FrameType.REJECT;
        }
    }

    /** LEAVE: the sender ends the membership; {@code code} is what the receiver posts with {@code FD_CLOSE}. */
    record Leave(int code) implements Frame {
        @Override
        public FrameType type() {
            return FrameType.LEAVE;
        }
    }

    /** PING: heartbeat; the receiver answers PONG. */
    record Ping() implements Frame {
        @Override
        public FrameType type() {
            return FrameType.PING;
        }
    }

    /** PONG: heartbeat answer. */
    record Pong() implements Frame {
        @Override
        public FrameType type() {
            return FrameType.PONG;
        }
    }

    /** DATA: one whole application message. Reference-counted: release it. */
    final class Data extends DefaultByteBufHolder implements Frame {
        public Data(ByteBuf payload) {
            super(payload);
        }

        @Override
        public FrameType type() {
            return FrameType.DATA;
        }
    }
}
