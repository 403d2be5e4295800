package org.joinleaf.tcp;

import static org.joinleaf.spi.testkit.WsaAssert.expectWsa;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.testkit.RecordingCompletion;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.joinleaf.tcp.session.TcpTransport;
import org.junit.Test;

/** Deactivate leaves nothing behind (style.md hot swap; issue item 7's thread count, without OSGi). */
public class LifecycleTest extends ProviderFixture {

    @Test // deactivate closes sessions, refuses new sockets (WSAENETDOWN) and stops every Netty thread
    public void stopEndsSessionsAndThreads() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        Member m = join(root, rootUp, true, Winsock2.JL_BOTH, "leaf");
        send(root, "before stop");
        assertEquals("before stop", receive(m.leaf, m.leafUp, null));
        assertTrue("event loops are running", nettyThreads().size() > 0);
        TcpTransport transport = provider.transport();

        provider.stop();

        assertEquals("every socket closed", 0, transport.openSockets());

        for (Thread t : nettyThreads()) {
            t.join(3000); // bounded: shutdown already waited for termination
        }
        assertEquals("Netty threads left: " + nettyThreads(), 0, nettyThreads().size());
        expectWsa(Winsock2.WSAENETDOWN,
                () -> provider.socket(entry(Winsock2.AF_INET, true), C_LEAF_D_LEAF, new RecordingUpcalls("late")));
    }

    @Test // hot swap, remote side: a root whose provider stops ends the session; a leaf elsewhere sees FD_CLOSE(0)
    public void stoppingTheRootsProviderClosesRemoteLeaves() throws Exception {
        TcpProvider other = new TcpProvider();
        other.start(settings().build());
        try {
            RecordingUpcalls rootUp = new RecordingUpcalls("root");
            MultipointSocket root = listeningRoot(true, rootUp);
            RecordingUpcalls leafUp = new RecordingUpcalls("remote leaf");
            MultipointSocket leaf = (MultipointSocket) other.socket(entry(Winsock2.AF_INET, true), C_LEAF_D_LEAF,
                    leafUp);
            RecordingCompletion done = new RecordingCompletion();
            leaf.join(request(root.localAddress(), null, Winsock2.JL_BOTH, null), done);
            awaitRequest(root, rootUp).accept(null, new RecordingUpcalls("link"));
            done.awaitConnected();

            provider.stop();

            assertEquals(0, leafUp.await(Winsock2.FD_CLOSE_BIT));
            assertEquals(0, leaf.receive(java.nio.ByteBuffer.allocate(1), null, false));
            leaf.close();
        } finally {
            other.stop();
        }
        assertEquals(0, other.transport() == null ? 0 : 1);
    }

    private static List<Thread> nettyThreads() {
        List<Thread> found = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(TcpTransport.THREAD_PREFIX) && t.isAlive()) {
                found.add(t);
            }
        }
        return found;
    }
}
