package org.joinleaf.tcp;

import static org.joinleaf.spi.testkit.WsaAssert.expectWsa;
import static org.junit.Assert.assertEquals;

import java.nio.ByteBuffer;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.junit.Test;

/** FD_CLOSE both ways with §4's codes (§1.6, §3 R27). */
public class TeardownTest extends ProviderFixture {

    @Test // R27: leaf closesocket -> the root's c_leaf for it gets FD_CLOSE(0); other leaves unaffected
    public void leafCloseReachesItsLinkOnly() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        Member a = join(root, rootUp, true, Winsock2.JL_BOTH, "a");
        Member b = join(root, rootUp, true, Winsock2.JL_BOTH, "b");
        a.leaf.close();
        assertEquals(0, a.linkUp.await(Winsock2.FD_CLOSE_BIT));
        send(root, "still here");
        assertEquals("still here", receive(b.leaf, b.leafUp, null));
        assertEquals(0, b.linkUp.count(Winsock2.FD_CLOSE_BIT));
    }

    @Test // R27: root closes a c_leaf -> that leaf only gets FD_CLOSE(0); its receive then returns 0
    public void linkCloseReachesThatLeafOnly() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        Member a = join(root, rootUp, true, Winsock2.JL_BOTH, "a");
        Member b = join(root, rootUp, true, Winsock2.JL_BOTH, "b");
        a.link.close();
        assertEquals(0, a.leafUp.await(Winsock2.FD_CLOSE_BIT));
        assertEquals("graceful close reads as 0", 0, a.leaf.receive(ByteBuffer.allocate(8), null, false));
        send(root, "b only");
        assertEquals("b only", receive(b.leaf, b.leafUp, null));
        assertEquals(0, b.leafUp.count(Winsock2.FD_CLOSE_BIT));
    }

    @Test // §1.6: c_root close -> every remote leaf and every local c_leaf gets FD_CLOSE(0)
    public void rootCloseEndsTheSessionForEveryone() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        Member a = join(root, rootUp, true, Winsock2.JL_BOTH, "a");
        Member b = join(root, rootUp, true, Winsock2.JL_RECEIVER_ONLY, "b");
        root.close();
        for (Member m : new Member[] {a, b}) {
            assertEquals(0, m.leafUp.await(Winsock2.FD_CLOSE_BIT));
            assertEquals(0, m.linkUp.await(Winsock2.FD_CLOSE_BIT));
        }
        expectWsa(Winsock2.WSAECONNRESET, () -> send(a.leaf, "too late"));
    }

    @Test // §4: a TCP reset is WSAECONNRESET on the root's c_leaf
    public void resetIsConnReset() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        RawLeaf raw = new RawLeaf(root.localAddress(), 0);
        raw.join(Winsock2.JL_BOTH, new byte[0]);
        RecordingUpcalls linkUp = new RecordingUpcalls("link");
        awaitRequest(root, rootUp).accept(null, linkUp);
        raw.expect(RawLeaf.ACCEPT);
        raw.reset();
        assertEquals(Winsock2.WSAECONNRESET, linkUp.await(Winsock2.FD_CLOSE_BIT));
    }

    @Test // PROTOCOL.md: a peer's LEAVE carries the code its FD_CLOSE reports
    public void leaveFrameCodeIsReported() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        try (RawLeaf raw = new RawLeaf(root.localAddress(), 0)) {
            raw.join(Winsock2.JL_BOTH, new byte[0]);
            RecordingUpcalls linkUp = new RecordingUpcalls("link");
            awaitRequest(root, rootUp).accept(null, linkUp);
            raw.expect(RawLeaf.ACCEPT);
            raw.write(new byte[] {0, 0, 0, 5, RawLeaf.LEAVE, 0, 0, 0, 0});
            assertEquals(0, linkUp.await(Winsock2.FD_CLOSE_BIT));
        }
    }
}
