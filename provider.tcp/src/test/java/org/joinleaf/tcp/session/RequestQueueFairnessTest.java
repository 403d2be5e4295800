package org.joinleaf.tcp.session;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;

import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.joinleaf.api.Winsock2;
import org.joinleaf.tcp.protocol.Frame;
import org.junit.After;
import org.junit.Test;

/**
 * Issue 11, "raw JOINs from 127.4.x.y": a flood of JOINs keeps the request queue full, and served first come first
 * served a legitimate JOIN waited behind every flood request queued before it (p99 756-1263 ms under the gateway's
 * flags). WSAAccept takes the callers' prefixes in turn instead.
 */
public class RequestQueueFairnessTest {
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @After
    public void closeChannels() {
        channels.forEach(EmbeddedChannel::close);
    }

    @Test // issue 11: raw JOINs from 127.4.x.y: a legitimate JOIN waits for one flood request, not for the queue
    public void aCallerFromAnotherPrefixIsServedAfterOneRequestOfTheFlood() {
        RequestQueue queue = new RequestQueue(128, (bit, code) -> { });
        List<PendingRequest> flood = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            PendingRequest r = request(queue, "127.4.0." + (1 + i));
            assertNull(queue.offer(r, 0, 2048));
            flood.add(r);
        }
        PendingRequest legit = request(queue, "127.0.0.100");
        assertNull(queue.offer(legit, 0, 2048));
        assertEquals(101, queue.size());

        assertSame("the flood's oldest is served first", flood.get(0), queue.head());
        queue.remove(flood.get(0)); // accepted
        assertSame("then the other prefix's turn", legit, queue.head());
        queue.remove(legit);
        assertSame("then the flood again, oldest first", flood.get(1), queue.head());
        queue.remove(legit); // a second remove (the connection closing) changes no turn
        assertSame(flood.get(1), queue.head());
        assertEquals(99, queue.size());
        assertEquals(99, queue.drain().length);
        assertNull(queue.head());
    }

    @Test // issue 11: raw JOINs from 127.4.x.y: the queue's bounds still count every prefix together
    public void theBoundsCountAllPrefixes() {
        RequestQueue queue = new RequestQueue(2, (bit, code) -> { });
        assertNull(queue.offer(request(queue, "127.4.0.1"), 0, 10));
        assertNull(queue.offer(request(queue, "127.0.0.1"), 0, 10));
        assertEquals(LimitCounters.Limit.REQUEST_QUEUE, queue.offer(request(queue, "127.5.0.1"), 0, 10));
        RequestQueue roomy = new RequestQueue(8, (bit, code) -> { });
        assertNull(roomy.offer(request(roomy, "127.4.0.1"), 0, 2));
        assertEquals(LimitCounters.Limit.LEAVES_PER_ROOT, roomy.offer(request(roomy, "127.0.0.1"), 1, 2));
    }

    private PendingRequest request(RequestQueue queue, String source) {
        InetSocketAddress remote = new InetSocketAddress(source, 40000);
        EmbeddedChannel ch = new EmbeddedChannel() {
            @Override
            protected SocketAddress remoteAddress0() {
                return remote;
            }
        };
        channels.add(ch);
        Frame.Join join = new Frame.Join(false, 1, Winsock2.JL_BOTH, new byte[0], null);
        return new PendingRequest(ch, join, queue, null, 0);
    }
}
