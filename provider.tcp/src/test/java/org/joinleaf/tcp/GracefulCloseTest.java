package org.joinleaf.tcp;

import static org.junit.Assert.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.WsaException;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.junit.Test;

/**
 * Principle "no silent gaps" (docs/reliability.md), §1.6: a c_root that sends and then closes at once ends the session
 * gracefully, so every message sent before its closesocket reaches every leaf, in order, ahead of FD_CLOSE(0).
 * (Found by the mcastatm port: frames still queued on an event loop were dropped once the session had ended.)
 */
public class GracefulCloseTest extends ProviderFixture {

    @Test
    public void everyMessageSentBeforeTheRootClosesReachesEveryLeaf() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        List<Member> leaves = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            leaves.add(join(root, rootUp, true, Winsock2.JL_BOTH, "leaf" + i));
        }
        int messages = 200;
        int sent = 0;
        for (long guard = 0; guard < 10_000_000 && sent < messages; guard++) {
            try {
                send(root, String.format("m%04d", sent));
                sent++;
            } catch (WsaException e) {
                assertEquals(Winsock2.WSAEWOULDBLOCK, e.code());
                Thread.onSpinWait();
            }
        }
        assertEquals(messages, sent);
        root.close(); // at once: fan-out frames are still on their way

        for (int i = 0; i < leaves.size(); i++) {
            Member m = leaves.get(i);
            m.leafUp.until("FD_CLOSE at leaf" + i, () -> m.leafUp.count(Winsock2.FD_CLOSE_BIT) > 0);
            for (int n = 0; n < messages; n++) {
                ByteBuffer b = ByteBuffer.allocate(64);
                int got = m.leaf.receive(b, new SOCKADDR(), false);
                assertEquals("leaf" + i + " message " + n + " in order", String.format("m%04d", n),
                        new String(b.array(), 0, got, StandardCharsets.UTF_8));
            }
        }
    }
}
