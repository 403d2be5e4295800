package org.joinleaf.tcp.session;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.tcp.protocol.FrameCodec;
import org.joinleaf.tcp.protocol.FrameType;

/**
 * Whole messages of one sender as they came in, DATA frames in their wire form (length prefix, type, body) in one
 * array: a read's messages are copied in with one copy and one allocation, and a receive copies a body from here
 * straight into the caller's buffer (issue 14 item 2: no allocation or lock per message). Written once, on the
 * event loop, before {@link InboundQueue} publishes it under its lock; read only after that, never changed but for
 * the read position, which the queue's lock guards.
 */
final class ReceivedChunk {
    /**
     * A read's messages are split into chunks of at most this many bytes (a larger message gets a chunk of its own):
     * a chunk is freed when its last message is taken, so what a queue keeps of messages already taken is at most
     * this, as its lease keeps at most one step unused ({@code InboundQueue#MAX_STEP_BYTES}).
     */
    static final int MAX_BYTES = 8 * 1024;

    final byte[] frames;
    final SOCKADDR from;
    /** The next message's frame. */
    int position;
    /** Messages not taken yet. */
    int messages;
    /** Their bodies' bytes. */
    final long bodyBytes;
    /** The chunk queued after this one. */
    ReceivedChunk next;

    private ReceivedChunk(byte[] frames, int messages, SOCKADDR from) {
        this.frames = frames;
        this.messages = messages;
        this.from = from;
        this.bodyBytes = frames.length - (long) messages * FrameCodec.HEADER;
    }

    /** One message: {@code length} bytes of {@code buf} from {@code index}. */
    static ReceivedChunk of(ByteBuf buf, int index, int length, SOCKADDR from) {
        byte[] frames = header(length);
        buf.getBytes(index, frames, FrameCodec.HEADER, length);
        return new ReceivedChunk(frames, 1, from);
    }

    /** One message: the bytes {@code message} has remaining (its position is left as it is). */
    static ReceivedChunk of(ByteBuffer message, SOCKADDR from) {
        byte[] frames = header(message.remaining());
        message.duplicate().get(frames, FrameCodec.HEADER, message.remaining());
        return new ReceivedChunk(frames, 1, from);
    }

    private static byte[] header(int length) {
        byte[] frames = new byte[FrameCodec.HEADER + length];
        int field = length + 1;
        frames[0] = (byte) (field >>> 24);
        frames[1] = (byte) (field >>> 16);
        frames[2] = (byte) (field >>> 8);
        frames[3] = (byte) field;
        frames[4] = (byte) FrameType.DATA.code();
        return frames;
    }

    /**
     * {@code count} whole DATA frames, {@code length} bytes of {@code buf} from {@code index}, as a chain of chunks
     * of at most {@link #MAX_BYTES} each (or one frame); returns the first.
     */
    static ReceivedChunk chain(ByteBuf buf, int index, int length, int count, SOCKADDR from) {
        if (length <= MAX_BYTES || count == 1) {
            byte[] frames = new byte[length];
            buf.getBytes(index, frames);
            return new ReceivedChunk(frames, count, from);
        }
        ReceivedChunk first = null;
        ReceivedChunk last = null;
        int end = index + length;
        for (int start = index; start < end; ) {
            int at = start;
            int n = 0;
            do {
                at += FrameCodec.LENGTH_FIELD + buf.getInt(at);
                n++;
            } while (at < end && at + FrameCodec.LENGTH_FIELD + buf.getInt(at) - start <= MAX_BYTES);
            byte[] frames = new byte[at - start];
            buf.getBytes(start, frames);
            ReceivedChunk c = new ReceivedChunk(frames, n, from);
            if (first == null) {
                first = c;
            } else {
                last.next = c;
            }
            last = c;
            start = at;
        }
        return first;
    }

    /** The next message was taken; its frame ended at {@code end}. True when it was the last. */
    boolean skip(int end) {
        position = end;
        return --messages == 0;
    }

    /** The body length of the next message. */
    int headLength() {
        byte[] f = frames;
        int p = position;
        return ((f[p] & 0xff) << 24 | (f[p + 1] & 0xff) << 16 | (f[p + 2] & 0xff) << 8 | (f[p + 3] & 0xff)) - 1;
    }
}
