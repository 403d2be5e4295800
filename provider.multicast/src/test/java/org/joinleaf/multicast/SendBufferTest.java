package org.joinleaf.multicast;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import org.junit.Test;

/**
 * Issue 14 item 4: the socket's reused direct send buffer sends exactly the message's remaining bytes, advances the
 * message as {@code DatagramChannel.send} does, and leaves larger and direct messages to the JDK; reused, it never
 * leaks one datagram's bytes into the next. Loopback only.
 */
public class SendBufferTest {
    @Test
    public void sendsEachMessageWholeAndAloneWhetherItFitsTheBufferOrNot() throws Exception {
        try (DatagramChannel out = DatagramChannel.open(); DatagramChannel in = DatagramChannel.open()) {
            in.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SendBuffer buffer = new SendBuffer();
            int[] sizes = {100, 3, SendBuffer.BYTES, SendBuffer.BYTES + 1, 0, 7};
            for (int i = 0; i < sizes.length; i++) {
                byte[] payload = new byte[sizes[i]];
                Arrays.fill(payload, (byte) (i + 1));
                ByteBuffer message = ByteBuffer.allocate(sizes[i] + 10);
                message.position(5);
                message.put(payload).flip().position(5); // remaining bytes not at the array's start
                assertEquals(sizes[i], buffer.send(out, message, in.getLocalAddress()));
                assertEquals("the message is consumed", 0, message.remaining());
                ByteBuffer got = ByteBuffer.allocate(SendBuffer.BYTES * 2);
                in.receive(got);
                assertArrayEquals("datagram " + i, payload, Arrays.copyOf(got.array(), got.position()));
            }
            ByteBuffer direct = ByteBuffer.allocateDirect(4).put(new byte[] {9, 9, 9, 9}).flip();
            assertEquals(4, buffer.send(out, direct, in.getLocalAddress()));
            ByteBuffer got = ByteBuffer.allocate(16);
            in.receive(got);
            assertEquals(4, got.position());
        }
    }
}
