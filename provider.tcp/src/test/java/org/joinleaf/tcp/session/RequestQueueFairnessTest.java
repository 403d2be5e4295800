package org.joinleaf.tcp.session;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;

import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
            assertSame(RequestQueue.Offer.QUEUED, queue.offer(r, 0, 2048));
            flood.add(r);
        }
        PendingRequest legit = request(queue, "127.0.0.100");
        assertSame(RequestQueue.Offer.QUEUED, queue.offer(legit, 0, 2048));
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
        assertSame(RequestQueue.Offer.QUEUED, queue.offer(request(queue, "127.4.0.1"), 0, 10));
        assertSame(RequestQueue.Offer.QUEUED, queue.offer(request(queue, "127.0.0.1"), 0, 10));
        assertEquals(new RequestQueue.Offer(LimitCounters.Limit.REQUEST_QUEUE, null),
                queue.offer(request(queue, "127.5.0.1"), 0, 10));
        RequestQueue roomy = new RequestQueue(8, (bit, code) -> { });
        assertSame(RequestQueue.Offer.QUEUED, roomy.offer(request(roomy, "127.4.0.1"), 0, 2));
        assertEquals(new RequestQueue.Offer(LimitCounters.Limit.LEAVES_PER_ROOT, null),
                roomy.offer(request(roomy, "127.0.0.1"), 1, 2));
    }

    @Test // decision 42: a flood spread over many /24s of one /16 is one network's turn, not one turn per /24
    public void aFloodOverManyPrefixesIsOneTurn() {
        RequestQueue queue = new RequestQueue(128, (bit, code) -> { });
        List<PendingRequest> flood = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            PendingRequest r = request(queue, "127.4." + i + ".1");
            assertSame(RequestQueue.Offer.QUEUED, queue.offer(r, 0, 2048));
            flood.add(r);
        }
        PendingRequest legit = request(queue, "127.0.0.100");
        assertSame(RequestQueue.Offer.QUEUED, queue.offer(legit, 0, 2048));

        assertSame(flood.get(0), queue.head());
        queue.remove(flood.get(0));
        assertSame("the other network's turn after one flood request, not after 40 prefixes", legit, queue.head());
        queue.remove(legit);
        assertSame("within the flood's network its prefixes take turns", flood.get(1), queue.head());
    }

    @Test // decision 42: a full queue drops the newest request of the busiest network's busiest prefix for a caller
    public void aFullQueueDropsTheFloodsNewestForAnotherNetwork() {
        RequestQueue queue = new RequestQueue(4, (bit, code) -> { });
        List<PendingRequest> flood = new ArrayList<>();
        for (String source : List.of("127.4.0.1", "127.4.1.1", "127.4.1.2", "127.4.2.1")) {
            PendingRequest r = request(queue, source);
            assertSame(RequestQueue.Offer.QUEUED, queue.offer(r, 0, 2048));
            flood.add(r);
        }
        PendingRequest legit = request(queue, "127.0.0.100");
        assertEquals(new RequestQueue.Offer(null, flood.get(2)), queue.offer(legit, 0, 2048));
        assertEquals("the queue never holds more than its capacity", 4, queue.size());
        queue.remove(flood.get(0));
        assertSame(legit, queue.head());
        assertEquals(Set.of(legit, flood.get(1), flood.get(3)), Set.of(queue.drain()));
    }

    @Test // decision 42: no churn inside the flood: its own callers, or a network nearly as busy, do not drop requests
    public void aFullQueueRefusesCallersFromTheBusiestOrANearlyAsBusyNetwork() {
        RequestQueue queue = new RequestQueue(4, (bit, code) -> { });
        List<PendingRequest> queued = new ArrayList<>();
        for (String source : List.of("127.4.0.1", "127.4.0.2", "127.0.0.1", "127.5.0.1")) {
            PendingRequest r = request(queue, source);
            assertSame(RequestQueue.Offer.QUEUED, queue.offer(r, 0, 2048));
            queued.add(r);
        }
        RequestQueue.Offer refused = new RequestQueue.Offer(LimitCounters.Limit.REQUEST_QUEUE, null);
        assertEquals("the flood's own fresh /24", refused, queue.offer(request(queue, "127.4.9.1"), 0, 2048));
        assertEquals("a network holding one request fewer", refused, queue.offer(request(queue, "127.0.0.2"), 0, 2048));
        assertEquals("no drop when the caller's links would pass maxLinks anyway", refused,
                queue.offer(request(queue, "127.7.0.1"), 2045, 2048));
        assertEquals("a network holding none", new RequestQueue.Offer(null, queued.get(1)),
                queue.offer(request(queue, "127.6.0.1"), 0, 2048));
        assertEquals(4, queue.size());
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
