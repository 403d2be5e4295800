package org.joinleaf.tcp;

import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.WsaException;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.junit.Test;

/**
 * Contract: a joining leaf reads ACCEPT before any DATA (issue 11 hostile suite: "frame type 5 before ACCEPT" while
 * the root kept sending). A fan-out drain already due on the leaf's event loop must not carry DATA for a member
 * whose ACCEPT is still queued behind it.
 */
public class AcceptBeforeDataTest extends ProviderFixture {
    private static final int JOINS = 30;

    @Test // PendingRequest.accept: the member joins the fan-out on its loop, after its ACCEPT is written
    public void acceptPrecedesDataWhileTheRootSendsFlatOut() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        List<RawLeaf> steady = new ArrayList<>(); // members on both event loops, read flat out: a drain is always due
        for (int i = 0; i < 4; i++) {
            RawLeaf raw = new RawLeaf(root.localAddress(), 0, "127.0.4." + (1 + i));
            raw.join(Winsock2.JL_BOTH, new byte[0]);
            awaitRequest(root, rootUp).accept(null, new RecordingUpcalls("steady " + i));
            raw.expect(RawLeaf.ACCEPT);
            steady.add(raw);
            Thread reader = new Thread(raw::closedByPeer, "steady reader " + i);
            reader.setDaemon(true);
            reader.start();
        }
        AtomicBoolean sending = new AtomicBoolean(true);
        Thread sender = new Thread(() -> {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); // bounded in time as well as by the joins
            while (sending.get() && System.nanoTime() < until) {
                try {
                    send(root, "tick");
                } catch (WsaException e) {
                    Thread.onSpinWait(); // WSAEWOULDBLOCK while a leaf is behind: try again
                }
            }
        }, "flat-out sender");
        sender.start();
        try {
            for (int i = 0; i < JOINS; i++) {
                try (RawLeaf raw = new RawLeaf(root.localAddress(), 0, "127.0.3." + (1 + i))) {
                    raw.join(Winsock2.JL_BOTH, new byte[0]);
                    ProviderSocket link = awaitRequest(root, rootUp).accept(null, new RecordingUpcalls("link " + i));
                    raw.expect(RawLeaf.ACCEPT); // throws on a DATA frame first
                    link.close();
                }
            }
            assertTrue(sender.isAlive());
        } finally {
            sending.set(false);
            sender.join(5000);
            for (RawLeaf r : steady) {
                r.close();
            }
        }
    }
}
