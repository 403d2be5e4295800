package org.joinleaf.tcp.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import org.joinleaf.api.FLOWSPEC;
import org.joinleaf.api.QOS;
import org.joinleaf.api.Winsock2;

/**
 * Byte layout of the wire protocol (PROTOCOL.md): a 4-byte big-endian length, a type octet, a body. All encoding
 * and decoding lives here so the layout is written down once.
 *
 * <p>Pitfall: {@link #decode} reads a frame whose length prefix the {@link FrameSplitter} already stripped; a {@link Frame.Data} it returns holds a retained slice of that buffer.
 */
public final class FrameCodec {
    /** "JLTP": first four bytes of every JOIN and INVITE body. */
    public static final int MAGIC = 0x4A4C5450;
    /** The protocol version this implementation speaks. */
    public static final int VERSION = 1;
    /** Bytes of the length prefix. */
    public static final int LENGTH_FIELD = 4;
    /** Length prefix plus type octet. */
    public static final int HEADER = LENGTH_FIELD + 1;
    /** Caller and callee data are length-prefixed with an unsigned 16-bit count. */
    public static final int MAX_CONNECT_DATA = 0xFFFF;

    private static final int FLOWSPEC_FIELDS = 8;
    private static final int JOIN_FIXED = 4 + 1 + 1 + 2 + 1;

    private FrameCodec() {
    }

    /**
     * The largest whole frame (prefix included) a peer configured with these limits may send; larger ones are
     * refused by the length-field decoder before they are buffered.
     */
    public static int maxFrameLength(int maxMessageSize, int maxConnectData) {
        return Math.max(HEADER + maxMessageSize, maxOpeningFrameLength(maxConnectData));
    }

    /**
     * The largest whole frame before admission: a JOIN/INVITE with the most caller data and both flowspecs (ACCEPT,
     * REJECT, LEAVE, PING and PONG are all smaller).
     */
    public static int maxOpeningFrameLength(int maxConnectData) {
        return HEADER + JOIN_FIXED + maxConnectData + 2 * FLOWSPEC_FIELDS * 4;
    }

    /** A frame splitter whose limit is {@code maxFrameLength} from the start (no admission step). Not sharable. */
    public static FrameSplitter newFrameSplitter(int maxFrameLength) {
        return new FrameSplitter(maxFrameLength, maxFrameLength);
    }

    /** The per-connection frame splitter: a JOIN's size until {@link FrameSplitter#admit()}, then DATA's. */
    public static FrameSplitter newFrameSplitter(int maxMessageSize, int maxConnectData) {
        return new FrameSplitter(maxOpeningFrameLength(maxConnectData), maxFrameLength(maxMessageSize, maxConnectData));
    }

    /** Encodes a control frame (any type but DATA). */
    public static ByteBuf encode(ByteBufAllocator alloc, Frame frame) {
        if (frame instanceof Frame.Data) {
            throw new IllegalArgumentException("DATA frames are encoded with encodeData");
        }
        ByteBuf out = alloc.buffer(encodedSize(frame)); // not the allocator's 256 B default, per JOIN/ACCEPT/PING
        out.writeInt(0);
        out.writeByte(frame.type().code());
        if (frame instanceof Frame.Join j) {
            out.writeInt(MAGIC).writeByte(j.version()).writeByte(j.direction());
            out.writeShort(j.callerData().length).writeBytes(j.callerData());
            out.writeByte(j.qos() == null ? 0 : 1);
            if (j.qos() != null) {
                writeFlowspec(out, j.qos().SendingFlowspec);
                writeFlowspec(out, j.qos().ReceivingFlowspec);
            }
        } else if (frame instanceof Frame.Accept a) {
            out.writeShort(a.calleeData().length).writeBytes(a.calleeData());
        } else if (frame instanceof Frame.Reject r) {
            out.writeInt(r.code());
        } else if (frame instanceof Frame.Leave l) {
            out.writeInt(l.code());
        }
        out.setInt(0, out.writerIndex() - LENGTH_FIELD);
        return out;
    }

    /** The bytes {@link #encode} writes for {@code frame}, prefix included. */
    static int encodedSize(Frame frame) {
        if (frame instanceof Frame.Join j) {
            return HEADER + JOIN_FIXED + j.callerData().length + (j.qos() == null ? 0 : 2 * FLOWSPEC_FIELDS * 4);
        }
        if (frame instanceof Frame.Accept a) {
            return HEADER + 2 + a.calleeData().length;
        }
        return frame instanceof Frame.Reject || frame instanceof Frame.Leave ? HEADER + 4 : HEADER;
    }

    /** Encodes one DATA frame holding the remaining bytes of {@code message}, without moving its position. */
    public static ByteBuf encodeData(ByteBufAllocator alloc, ByteBuffer message) {
        int length = message.remaining();
        ByteBuf out = alloc.buffer(HEADER + length);
        out.writeInt(1 + length).writeByte(FrameType.DATA.code()).writeBytes(message.duplicate());
        return out;
    }

    /** Encodes one DATA frame holding the readable bytes of {@code payload}, without moving its reader index. */
    public static ByteBuf encodeData(ByteBufAllocator alloc, ByteBuf payload) {
        int length = payload.readableBytes();
        ByteBuf out = alloc.buffer(HEADER + length);
        out.writeInt(1 + length).writeByte(FrameType.DATA.code()).writeBytes(payload, payload.readerIndex(), length);
        return out;
    }

    /**
     * Decodes one frame (length prefix already removed). Does not release {@code in}.
     *
     * @param maxConnectData the largest caller or callee data accepted
     * @param maxMessageSize the largest DATA body accepted
     * @throws ProtocolViolationException for anything the protocol does not allow
     */
    public static Frame decode(ByteBuf in, int maxConnectData, int maxMessageSize) {
        if (!in.isReadable()) {
            throw new ProtocolViolationException("empty frame: no type octet");
        }
        int code = in.readUnsignedByte();
        FrameType type = FrameType.of(code);
        if (type == null) {
            throw new ProtocolViolationException("unknown frame type 0x" + Integer.toHexString(code));
        }
        Frame frame;
        switch (type) {
            case DATA:
                checkDataLength(in.readableBytes(), maxMessageSize);
                return new Frame.Data(in.readRetainedSlice(in.readableBytes()));
            case JOIN:
            case INVITE:
                frame = decodeJoin(in, type == FrameType.INVITE, maxConnectData);
                break;
            case ACCEPT:
                frame = new Frame.Accept(readConnectData(in, maxConnectData, "callee"));
                break;
            case REJECT:
                frame = new Frame.Reject(readInt(in, type));
                break;
            case LEAVE:
                frame = new Frame.Leave(readInt(in, type));
                break;
            case PING:
                frame = new Frame.Ping();
                break;
            default:
                frame = new Frame.Pong();
                break;
        }
        if (in.isReadable()) {
            throw new ProtocolViolationException(type + " frame has " + in.readableBytes() + " trailing bytes");
        }
        return frame;
    }

    /** A DATA body over {@code maxMessageSize} is a violation (PROTOCOL.md §6). */
    static void checkDataLength(int bodyLength, int maxMessageSize) {
        if (bodyLength > maxMessageSize) {
            throw new ProtocolViolationException("DATA of " + bodyLength + " bytes exceeds maxMessageSize ("
                    + maxMessageSize + ")");
        }
    }

    private static Frame.Join decodeJoin(ByteBuf in, boolean invite, int maxConnectData) {
        String what = invite ? "INVITE" : "JOIN";
        require(in, 6, what);
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new ProtocolViolationException(what + " has magic 0x" + Integer.toHexString(magic)
                    + ", expected 0x" + Integer.toHexString(MAGIC) + " (not a joinleaf peer?)");
        }
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new ProtocolViolationException(what + " speaks protocol version " + version
                    + "; this provider speaks " + VERSION);
        }
        int direction = in.readUnsignedByte();
        if (direction != Winsock2.JL_SENDER_ONLY && direction != Winsock2.JL_RECEIVER_ONLY
                && direction != Winsock2.JL_BOTH) {
            throw new ProtocolViolationException(what + " has direction " + direction + "; expected 1, 2 or 4");
        }
        byte[] callerData = readConnectData(in, maxConnectData, "caller");
        require(in, 1, what);
        int hasQos = in.readUnsignedByte();
        QOS qos = null;
        if (hasQos == 1) {
            require(in, 2 * FLOWSPEC_FIELDS * 4, what);
            qos = new QOS();
            readFlowspec(in, qos.SendingFlowspec);
            readFlowspec(in, qos.ReceivingFlowspec);
        } else if (hasQos != 0) {
            throw new ProtocolViolationException(what + " has QoS flag " + hasQos + "; expected 0 or 1");
        }
        return new Frame.Join(invite, version, direction, callerData, qos);
    }

    private static byte[] readConnectData(ByteBuf in, int maxConnectData, String which) {
        require(in, 2, which + " data length");
        int length = in.readUnsignedShort();
        if (length > maxConnectData) {
            throw new ProtocolViolationException(which + " data of " + length + " bytes exceeds the limit of "
                    + maxConnectData);
        }
        require(in, length, which + " data");
        byte[] data = new byte[length];
        in.readBytes(data);
        return data;
    }

    private static int readInt(ByteBuf in, FrameType type) {
        require(in, 4, type.name());
        return in.readInt();
    }

    private static void require(ByteBuf in, int bytes, String what) {
        if (in.readableBytes() < bytes) {
            throw new ProtocolViolationException("truncated " + what + ": needs " + bytes + " bytes, has "
                    + in.readableBytes());
        }
    }

    private static void writeFlowspec(ByteBuf out, FLOWSPEC f) {
        out.writeInt(f.TokenRate).writeInt(f.TokenBucketSize).writeInt(f.PeakBandwidth).writeInt(f.Latency)
                .writeInt(f.DelayVariation).writeInt(f.ServiceType).writeInt(f.MaxSduSize)
                .writeInt(f.MinimumPolicedSize);
    }

    private static void readFlowspec(ByteBuf in, FLOWSPEC f) {
        f.TokenRate = in.readInt();
        f.TokenBucketSize = in.readInt();
        f.PeakBandwidth = in.readInt();
        f.Latency = in.readInt();
        f.DelayVariation = in.readInt();
        f.ServiceType = in.readInt();
        f.MaxSduSize = in.readInt();
        f.MinimumPolicedSize = in.readInt();
    }
}
