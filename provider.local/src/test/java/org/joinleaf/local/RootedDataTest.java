package org.joinleaf.local;

import static org.joinleaf.local.Harness.addr;
import static org.joinleaf.local.Harness.assertNothingQueued;
import static org.joinleaf.local.Harness.receive;
import static org.joinleaf.local.Harness.send;
import static org.joinleaf.spi.testkit.WsaAssert.expectWsa;
import static org.junit.Assert.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.local.Harness.Sock;
import org.junit.After;
import org.junit.Test;

/** Data plane of the rooted entries: fan-out, d_leaf to root, relay, message size, bounded queues (groups I, H). */
public class RootedDataTest {
    private Harness h = new Harness();

    @After
    public void stop() {
        h.close();
    }

    private void restart(int queue, SlowLeafPolicy policy) {
        h.close();
        h = new Harness(Harness.settings(5000, queue, policy));
    }

    // Scenario 45, §1.7: a d_root send reaches every receiving leaf, in order; JL_SENDER_ONLY leaves get nothing
    @Test
    public void rootFanOutReachesEveryReceivingLeafInOrder() throws Exception {
        Sock root = h.listeningRoot(LocalCatalog.ROOTED, 7000);
        List<Sock> leaves = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Sock leaf = h.leaf(LocalCatalog.ROOTED);
            h.admit(root, leaf, Winsock2.JL_BOTH);
            leaves.add(leaf);
        }
        Sock senderOnly = h.leaf(LocalCatalog.ROOTED);
        h.admit(root, senderOnly, Winsock2.JL_SENDER_ONLY);

        for (int m = 0; m < 20; m++) {
            send(root.socket(), "m" + m);
        }

        for (Sock leaf : leaves) {
            assertEquals(20, leaf.events().count(Winsock2.FD_READ_BIT));
            for (int m = 0; m < 20; m++) {
                SOCKADDR from = new SOCKADDR();
                assertEquals("m" + m, receive(leaf.socket(), from));
                assertEquals(addr(7000), from);
            }
            assertNothingQueued(leaf.socket());
        }
        assertNothingQueued(senderOnly.socket());
        assertNothingQueued(root.socket());
    }

    // Scenarios 46, 47, §1.1: a rooted d_leaf reaches only the root, which learns who sent
    @Test
    public void rootedLeafSendReachesOnlyTheRoot() throws Exception {
        Sock root = h.listeningRoot(LocalCatalog.ROOTED, 7000);
        Sock l1 = h.leaf(LocalCatalog.ROOTED);
        Sock l2 = h.leaf(LocalCatalog.ROOTED);
        h.admit(root, l1, Winsock2.JL_BOTH);
        h.admit(root, l2, Winsock2.JL_BOTH);

        send(l1.socket(), "from l1");
        send(l2.socket(), "from l2");

        SOCKADDR from = new SOCKADDR();
        assertEquals("from l1", receive(root.socket(), from));
        assertEquals(l1.socket().localAddress(), from);
        assertEquals("from l2", receive(root.socket(), from));
        assertEquals(l2.socket().localAddress(), from);
        assertNothingQueued(l1.socket());
        assertNothingQueued(l2.socket());
    }

    // §1.7 non-rooted data plane under a rooted control plane; SIO_MULTIPOINT_LOOPBACK on the sender (§4)
    @Test
    public void relayedLeafSendReachesRootOthersAndItselfOnlyWithLoopback() throws Exception {
        Sock root = h.listeningRoot(LocalCatalog.RELAYED, 7000);
        Sock l1 = h.leaf(LocalCatalog.RELAYED);
        Sock l2 = h.leaf(LocalCatalog.RELAYED);
        h.admit(root, l1, Winsock2.JL_BOTH);
        h.admit(root, l2, Winsock2.JL_BOTH);

        send(l1.socket(), "loop on");
        SOCKADDR from = new SOCKADDR();
        assertEquals("loop on", receive(root.socket(), from));
        assertEquals(l1.socket().localAddress(), from);
        assertEquals("loop on", receive(l2.socket(), from));
        assertEquals(l1.socket().localAddress(), from);
        assertEquals("loop on", receive(l1.socket(), null));

        l1.socket().ioctl(Winsock2.SIO_MULTIPOINT_LOOPBACK, Boolean.FALSE, null);
        send(l1.socket(), "loop off");
        assertEquals("loop off", receive(root.socket(), null));
        assertEquals("loop off", receive(l2.socket(), null));
        assertNothingQueued(l1.socket());

        send(root.socket(), "from root");
        assertEquals("from root", receive(l1.socket(), null));
        assertEquals("from root", receive(l2.socket(), null));
        assertEquals("the root is a member too: loopback on by default", "from root", receive(root.socket(), null));
    }

    // §4 recv on message sockets: a too small buffer is filled, the rest discarded, WSAEMSGSIZE
    @Test
    public void tooSmallBufferGetsTheHeadAndMessageSizeError() throws Exception {
        Sock root = h.listeningRoot(LocalCatalog.ROOTED, 7000);
        Sock leaf = h.leaf(LocalCatalog.ROOTED);
        h.admit(root, leaf, Winsock2.JL_BOTH);
        send(root.socket(), "12345");
        ByteBuffer small = ByteBuffer.allocate(3);

        expectWsa(Winsock2.WSAEMSGSIZE, () -> leaf.socket().receive(small, null, false));

        assertEquals("123", new String(small.array()));
        assertNothingQueued(leaf.socket());
        expectWsa(Winsock2.WSAEMSGSIZE,
                () -> root.socket().send(ByteBuffer.allocate(65508), null));
    }

    // Reliability scorecard 2: EVICT cuts out the stalled leaf, healthy leaves get everything in order
    @Test
    public void evictPolicyCutsOutTheFullLeafOnly() throws Exception {
        restart(4, SlowLeafPolicy.EVICT);
        Sock root = h.listeningRoot(LocalCatalog.ROOTED, 7000);
        Sock stalled = h.leaf(LocalCatalog.ROOTED);
        Sock stalledLink = h.admit(root, stalled, Winsock2.JL_BOTH);
        Sock healthy = h.leaf(LocalCatalog.ROOTED);
        h.admit(root, healthy, Winsock2.JL_BOTH);

        for (int m = 0; m < 8; m++) {
            send(root.socket(), "m" + m);
            assertEquals("m" + m, receive(healthy.socket(), null));
        }

        assertEquals(Winsock2.WSAECONNABORTED, stalled.events().await(Winsock2.FD_CLOSE_BIT));
        assertEquals(Winsock2.WSAECONNABORTED, stalledLink.events().await(Winsock2.FD_CLOSE_BIT));
        assertEquals(1, h.network().evictedLeaves());
        for (int m = 0; m < 4; m++) {
            assertEquals("gap-free up to the eviction", "m" + m, receive(stalled.socket(), null));
        }
        expectWsa(Winsock2.WSAECONNABORTED, () -> receive(stalled.socket(), null));
        expectWsa(Winsock2.WSAECONNABORTED, () -> send(stalled.socket(), "late"));
    }

    // Slow-leaf policy BLOCK_SENDER: the fan-out is refused whole, FD_WRITE when room returns
    @Test
    public void backpressurePolicyRefusesWholeFanOutUntilRoomReturns() throws Exception {
        restart(2, SlowLeafPolicy.BLOCK_SENDER);
        Sock root = h.listeningRoot(LocalCatalog.ROOTED, 7000);
        Sock slow = h.leaf(LocalCatalog.ROOTED);
        h.admit(root, slow, Winsock2.JL_BOTH);
        Sock fast = h.leaf(LocalCatalog.ROOTED);
        h.admit(root, fast, Winsock2.JL_BOTH);
        send(root.socket(), "a");
        send(root.socket(), "b");
        assertEquals("a", receive(fast.socket(), null));

        expectWsa(Winsock2.WSAEWOULDBLOCK, () -> send(root.socket(), "c"));

        assertEquals("nothing partial reached the fast leaf", "b", receive(fast.socket(), null));
        assertNothingQueued(fast.socket());
        assertEquals(0, root.events().count(Winsock2.FD_WRITE_BIT));
        assertEquals("a", receive(slow.socket(), null));
        assertEquals(0, root.events().await(Winsock2.FD_WRITE_BIT));
        send(root.socket(), "c");
        assertEquals("c", receive(fast.socket(), null));
        assertEquals("b", receive(slow.socket(), null));
        assertEquals("c", receive(slow.socket(), null));
    }

    // A single-destination send (rooted d_leaf to root) is refused with WSAEWOULDBLOCK, FD_WRITE later
    @Test
    public void fullRootQueueRefusesLeafSendUntilRoomReturns() throws Exception {
        restart(2, SlowLeafPolicy.EVICT);
        Sock root = h.listeningRoot(LocalCatalog.ROOTED, 7000);
        Sock leaf = h.leaf(LocalCatalog.ROOTED);
        h.admit(root, leaf, Winsock2.JL_BOTH);
        send(leaf.socket(), "1");
        send(leaf.socket(), "2");

        expectWsa(Winsock2.WSAEWOULDBLOCK, () -> send(leaf.socket(), "3"));

        assertEquals("1", receive(root.socket(), null));
        assertEquals(0, leaf.events().await(Winsock2.FD_WRITE_BIT));
        send(leaf.socket(), "3");
        assertEquals("2", receive(root.socket(), null));
        assertEquals("3", receive(root.socket(), null));
    }
}
