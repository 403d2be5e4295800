package org.joinleaf.tcp;

import static org.junit.Assert.assertEquals;

import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.joinleaf.tcp.session.LimitCounters.PeerEvent;
import org.joinleaf.tcp.session.TcpSettings;
import org.junit.Test;

/**
 * Issue 11, "back-pressure mistaken for silence": a root application that reads slowly saw its live leaves cut
 * "heartbeat timed out". While the root does not read a connection (its receive queue is full) the leaf's frames
 * wait in the kernel, so the heartbeat must not count that time as the leaf's silence.
 */
public class BackPressureHeartbeatTest extends ProviderFixture {
    private static final int HEARTBEAT_TIMEOUT = 600;
    private static final int MESSAGES = 20;

    @Override
    TcpSettings.Builder settings() {
        TcpSettings.Builder b = TcpSettings.builder();
        b.heartbeatIntervalMillis = 150;
        b.heartbeatTimeoutMillis = HEARTBEAT_TIMEOUT;
        b.receiveQueueMessages = 2; // the root stops reading the leaf after two unread messages
        return b;
    }

    @Test // issue 11: an application that does not read for 4 heartbeat timeouts keeps its live leaves
    public void rootThatDoesNotReadKeepsItsLiveLeaves() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        Member m = join(root, rootUp, true, Winsock2.JL_BOTH, "live");
        for (int i = 0; i < MESSAGES; i++) {
            send(m.leaf, "m" + i);
        }
        Thread.sleep(4L * HEARTBEAT_TIMEOUT); // the application reads nothing meanwhile
        assertEquals("the root's c_leaf was not cut", 0, m.linkUp.count(Winsock2.FD_CLOSE_BIT));
        assertEquals("the leaf was not cut", 0, m.leafUp.count(Winsock2.FD_CLOSE_BIT));
        for (int i = 0; i < MESSAGES; i++) {
            assertEquals("m" + i, receive(root, rootUp, null));
        }
        send(root, "still here");
        assertEquals("still here", receive(m.leaf, m.leafUp, null));
        assertEquals(0, provider.transport().counters().count(PeerEvent.HEARTBEAT_TIMEOUT));
    }
}
