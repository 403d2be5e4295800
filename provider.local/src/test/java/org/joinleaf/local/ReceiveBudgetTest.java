package org.joinleaf.local;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.ByteBuffer;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.local.Harness.Sock;
import org.joinleaf.spi.ConnectRequest;
import org.joinleaf.spi.WsaException;
import org.joinleaf.spi.testkit.RecordingCompletion;
import org.junit.After;
import org.junit.Test;

/**
 * Issue 11, envelope E3 (receive queues in messages, not bytes): a member sending 64 KiB to a root application that does
 * not read ran a 32 MB JVM out of heap (1024 messages × 64 KiB per socket were allowed). Queues are bounded in bytes
 * per socket and in total, with defaults derived from the heap.
 */
public class ReceiveBudgetTest {
    private static final long GATEWAY_HEAP = 32L << 20;
    private static final int LARGEST = 65507;

    private Harness h;

    @After
    public void stop() {
        if (h != null) {
            h.close();
        }
    }

    private static Harness harness(ReceiveLimits limits) {
        return new Harness(new LocalSettings(5000, 1024, LARGEST, 1024, SlowLeafPolicy.EVICT, limits));
    }

    // Issue 11 deliverable 1: derived from the gateway's -Xmx32m; what cannot fit fails activation naming it.
    @Test
    public void limitsAreDerivedFromTheHeapAndWhatCannotFitIsRefusedByName() {
        ReceiveLimits derived = ReceiveLimits.derive(0, 0, LARGEST, GATEWAY_HEAP);
        assertEquals(4L << 20, derived.totalBytes());
        assertEquals(1L << 20, derived.perSocketBytes());
        expectRefused("totalReceiveQueueBytes", () -> ReceiveLimits.derive(0, 16 << 20, LARGEST, GATEWAY_HEAP));
        expectRefused("receiveQueueBytes", () -> ReceiveLimits.derive(2 << 20, 1 << 20, LARGEST, GATEWAY_HEAP));
    }

    // Issue 11, envelope E3 (64 KiB DATA to a root that does not read): the sender is refused once the root's queue
    // holds its byte budget, long before 1024 messages; FD_WRITE follows when the root reads.
    @Test
    public void issue11_largeMessagesToARootThatDoesNotReadStopAtTheByteBudget() throws Exception {
        h = harness(ReceiveLimits.derive(0, 0, LARGEST, GATEWAY_HEAP));
        Sock root = h.listeningRoot(LocalCatalog.ROOTED, 7100);
        Sock leaf = h.leaf(LocalCatalog.ROOTED);
        h.admit(root, leaf, Winsock2.JL_BOTH);

        int accepted = sendUntilRefused(leaf, 1025);

        long perSocket = h.network().settings.receiveLimits().perSocketBytes();
        assertEquals("as many 64 KiB messages as the byte budget holds", perSocket / ReceiveLimits.cost(LARGEST),
                accepted);
        assertTrue(h.network().budget.usedBytes() <= perSocket);
        root.socket().receive(ByteBuffer.allocate(LARGEST), null, false);
        assertEquals(0, leaf.events().await(Winsock2.FD_WRITE_BIT));
        leaf.socket().send(ByteBuffer.allocate(LARGEST), null);
    }

    // Issue 11: the provider-wide total holds across sessions; a sender refused by it gets FD_WRITE when any
    // queue gives bytes back, and no leaf is evicted for memory the others hold.
    @Test
    public void issue11_totalAcrossSocketsRefusesReliableSendersAndDropsDatagrams() throws Exception {
        long total = 5 * ReceiveLimits.cost(LARGEST);
        h = harness(new ReceiveLimits(3 * ReceiveLimits.cost(LARGEST), total));
        Sock rootA = h.listeningRoot(LocalCatalog.ROOTED, 7101);
        Sock leafA = h.leaf(LocalCatalog.ROOTED);
        h.admit(rootA, leafA, Winsock2.JL_BOTH);
        Sock rootB = h.listeningRoot(LocalCatalog.ROOTED, 7102);
        Sock leafB = h.leaf(LocalCatalog.ROOTED);
        h.admit(rootB, leafB, Winsock2.JL_BOTH);

        assertEquals(3, sendUntilRefused(leafA, 10));
        assertEquals("the total leaves B two, not its own three", 2, sendUntilRefused(leafB, 10));
        assertEquals(total, h.network().budget.usedBytes());

        Sock member = multicastMember();
        Sock sender = h.leaf(LocalCatalog.MULTICAST);
        sender.socket().send(ByteBuffer.allocate(10), SOCKADDR.of("239.1.2.3", 5000));
        assertEquals("a datagram beyond the total is dropped and counted", 1, h.network().droppedDatagrams());
        assertEquals(0, member.socket().available());

        rootA.socket().receive(ByteBuffer.allocate(LARGEST), null, false);
        assertEquals("room in the total wakes B", 0, leafB.events().await(Winsock2.FD_WRITE_BIT));
        leafB.socket().send(ByteBuffer.allocate(LARGEST), null);
        assertEquals(total, h.network().budget.usedBytes());
        rootB.socket().close();
        assertEquals("a closed socket gives its bytes back", 2 * ReceiveLimits.cost(LARGEST),
                h.network().budget.usedBytes());
    }

    private Sock multicastMember() throws Exception {
        Sock s = h.leaf(LocalCatalog.MULTICAST);
        RecordingCompletion joined = new RecordingCompletion();
        s.mp().join(new ConnectRequest(SOCKADDR.of("239.1.2.3", 5000), null, 0, null, Winsock2.JL_BOTH, null),
                joined);
        joined.awaitConnected();
        return s;
    }

    /** Sends largest messages until WSAEWOULDBLOCK (at most {@code max}); returns how many were taken. */
    private static int sendUntilRefused(Sock leaf, int max) throws WsaException {
        for (int i = 0; i < max; i++) {
            try {
                leaf.socket().send(ByteBuffer.allocate(LARGEST), null);
            } catch (WsaException e) {
                assertEquals(Winsock2.WSAEWOULDBLOCK, e.code());
                return i;
            }
        }
        fail("no back-pressure after " + max + " messages of " + LARGEST + " bytes");
        return max;
    }

    private static void expectRefused(String setting, Runnable activation) {
        try {
            activation.run();
            fail(setting + " accepted");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(setting));
            assertTrue(e.getMessage(), e.getMessage().contains(LocalConfig.PID));
        }
    }
}
