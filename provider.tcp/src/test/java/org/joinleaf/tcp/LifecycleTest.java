package org.joinleaf.tcp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.MultipointSocket;
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

        provider.stop();

        for (Thread t : nettyThreads()) {
            t.join(3000); // bounded: shutdown already waited for termination
        }
        assertEquals("Netty threads left: " + nettyThreads(), 0, nettyThreads().size());
        expectCode(Winsock2.WSAENETDOWN,
                () -> provider.socket(entry(Winsock2.AF_INET, true), C_LEAF_D_LEAF, new RecordingUpcalls("late")));
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
