package org.joinleaf.local;

import static org.joinleaf.local.Harness.receive;
import static org.joinleaf.local.Harness.send;
import static org.joinleaf.spi.testkit.WsaAssert.expectWsa;
import static org.junit.Assert.assertEquals;

import org.joinleaf.api.Winsock2;
import org.joinleaf.local.Harness.Sock;
import org.joinleaf.spi.testkit.RecordingCompletion;
import org.junit.After;
import org.junit.Test;

/** Teardown of rooted sessions (group J, §1.6, §3 R27). */
public class TeardownTest {
    private final Harness h = new Harness();

    @After
    public void stop() {
        h.close();
    }

    // Scenario 49, §3 R27
    @Test
    public void leafCloseReachesTheRootsCLeaf() throws Exception {
        Sock root = h.listeningRoot(LocalCatalog.ROOTED, 7000);
        Sock leaf = h.leaf(LocalCatalog.ROOTED);
        Sock link = h.admit(root, leaf, Winsock2.JL_BOTH);

        leaf.socket().close();

        assertEquals(0, link.events().await(Winsock2.FD_CLOSE_BIT));
        expectWsa(Winsock2.WSAENOTCONN, () -> send(link.socket(), "gone"));
        assertEquals(0, root.events().count(Winsock2.FD_CLOSE_BIT));
    }

    // §3 R27: closing the root's c_leaf drops that leaf only; it drains what was queued, then reads 0
    @Test
    public void rootClosingCLeafDropsThatLeafOnly() throws Exception {
        Sock root = h.listeningRoot(LocalCatalog.ROOTED, 7000);
        Sock dropped = h.leaf(LocalCatalog.ROOTED);
        Sock link = h.admit(root, dropped, Winsock2.JL_BOTH);
        Sock kept = h.leaf(LocalCatalog.ROOTED);
        h.admit(root, kept, Winsock2.JL_BOTH);
        send(root.socket(), "before");

        link.socket().close();

        assertEquals(0, dropped.events().await(Winsock2.FD_CLOSE_BIT));
        assertEquals(0, kept.events().count(Winsock2.FD_CLOSE_BIT));
        expectWsa(Winsock2.WSAENOTCONN, () -> send(dropped.socket(), "after"));
        assertEquals("before", receive(dropped.socket(), null));
        assertEquals("graceful end", "", receive(dropped.socket(), null));
        send(root.socket(), "still on");
        assertEquals("before", receive(kept.socket(), null));
        assertEquals("still on", receive(kept.socket(), null));
    }

    // Scenario 48, §1.6: c_root close ends every leaf socket and every root-side c_leaf
    @Test
    public void rootCloseEndsTheWholeSession() throws Exception {
        Sock root = h.listeningRoot(LocalCatalog.RELAYED, 7000);
        Sock a = h.leaf(LocalCatalog.RELAYED);
        Sock linkA = h.admit(root, a, Winsock2.JL_BOTH);
        Sock b = h.leaf(LocalCatalog.RELAYED);
        Sock linkB = h.admit(root, b, Winsock2.JL_RECEIVER_ONLY);
        Sock waiting = h.leaf(LocalCatalog.RELAYED);
        RecordingCompletion pending = new RecordingCompletion();
        waiting.mp().join(Harness.request(Harness.addr(7000), null, Winsock2.JL_BOTH), pending);

        root.socket().close();

        for (Sock s : new Sock[] {a, b, linkA, linkB}) {
            assertEquals(0, s.events().await(Winsock2.FD_CLOSE_BIT));
        }
        assertEquals(Winsock2.WSAECONNREFUSED, pending.awaitFailed());
        expectWsa(Winsock2.WSAENOTCONN, () -> send(a.socket(), "late"));
        assertEquals("", receive(b.socket(), null));
    }
}
