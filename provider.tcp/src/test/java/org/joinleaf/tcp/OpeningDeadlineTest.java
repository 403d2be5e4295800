package org.joinleaf.tcp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.joinleaf.tcp.session.LimitCounters.Limit;
import org.joinleaf.tcp.session.TcpSettings;
import org.junit.Test;

/**
 * Issue 11 fairness under floods: the opening frame (JOIN/INVITE) has its own short deadline,
 * {@code openingFrameTimeoutMillis}, well below {@code joinTimeoutMillis}, so a slow handshake holds its place only
 * briefly; a legitimate join that is then kept waiting for {@code WSAAccept} is not cut by it.
 */
public class OpeningDeadlineTest extends ProviderFixture {
    @Override
    TcpSettings.Builder settings() {
        TcpSettings.Builder b = TcpSettings.builder();
        b.joinTimeoutMillis = 20_000;
        b.openingFrameTimeoutMillis = 300;
        return b;
    }

    @Test // issue 11: a connection silent past openingFrameTimeoutMillis is reset long before joinTimeoutMillis
    public void silentConnectionIsClosedAtTheOpeningDeadline() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        try (RawLeaf silent = new RawLeaf(root.localAddress(), 0)) {
            // RawLeaf's read timeout (10 s) is half the join deadline: only the opening deadline can close it
            assertTrue(silent.closedByPeer());
        }
        assertEquals(1, provider.transport().counters().count(Limit.HANDSHAKE_DEADLINE));
        try (RawLeaf late = new RawLeaf(root.localAddress(), 0)) {
            late.join(Winsock2.JL_BOTH, new byte[0]);
            awaitRequest(root, rootUp);
            Thread.sleep(600); // twice the opening deadline: the queued JOIN is past it, its own deadline is not
            assertTrue(root.pendingRequest() != null);
            root.pendingRequest().accept(null, new RecordingUpcalls("late"));
            late.expect(RawLeaf.ACCEPT);
        }
    }
}
