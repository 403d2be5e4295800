package org.joinleaf.tcp;

import static org.joinleaf.spi.testkit.WsaAssert.expectWsa;
import static org.joinleaf.tcp.Wire.concat;
import static org.joinleaf.tcp.Wire.frame;
import static org.joinleaf.tcp.Wire.int32;
import static org.joinleaf.tcp.Wire.lengthOnly;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.ConnectionRequest;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.testkit.RecordingCompletion;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.joinleaf.tcp.session.LimitCounters;
import org.joinleaf.tcp.session.LimitCounters.Limit;
import org.joinleaf.tcp.session.LimitCounters.PeerEvent;
import org.joinleaf.tcp.session.TcpSettings;
import org.junit.Test;

/**
 * Issue 11, "nothing before admission costs more than a JOIN" and "members held to their join": what a peer that is
 * not (yet) a member can make the root hold, and what a member may send, each attacked by a raw peer.
 */
public class AdmissionTest extends ProviderFixture {
    private static final int MAX_CONNECT_DATA = 100;
    private static final int JOIN_TIMEOUT = 3000;

    @Override
    TcpSettings.Builder settings() {
        TcpSettings.Builder b = TcpSettings.builder();
        b.maxConnectData = MAX_CONNECT_DATA; // a JOIN is at most 5 + 9 + 100 + 64 = 178 bytes
        b.joinTimeoutMillis = JOIN_TIMEOUT;
        b.openingFrameTimeoutMillis = JOIN_TIMEOUT;
        return b;
    }

    private LimitCounters counters() {
        return provider.transport().counters();
    }

    @Test // issue 11: a partial frame before JOIN pins at most a JOIN's size (fail-fast at the length field)
    public void frameOverAJoinsSizeBeforeAdmissionIsRefusedAtItsLengthField() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        try (RawLeaf raw = new RawLeaf(root.localAddress(), 0)) {
            // all but one byte of a 64 KiB frame would be buffered by a DATA-sized splitter until the deadline
            raw.write(concat(lengthOnly(60_000), new byte[] {RawLeaf.DATA, 1, 2, 3}));
            assertTrue(raw.closedByPeer());
        }
        assertEquals("closed as a violation at once", 1, counters().count(PeerEvent.PROTOCOL_VIOLATION));
        assertEquals("not left to its deadline", 0, counters().count(Limit.HANDSHAKE_DEADLINE));
        assertEquals(0, rootUp.count(Winsock2.FD_ACCEPT_BIT));
    }

    @Test // issue 11: the limit is a JOIN's size only until admission; a member may then send maxMessageSize DATA
    public void anAdmittedMemberMaySendFullSizeData() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        try (RawLeaf raw = new RawLeaf(root.localAddress(), 0)) {
            raw.join(Winsock2.JL_BOTH, new byte[MAX_CONNECT_DATA]);
            awaitRequest(root, rootUp).accept(null, new RecordingUpcalls("link"));
            raw.expect(RawLeaf.ACCEPT);
            raw.write(frame(RawLeaf.DATA, new byte[60_000]));
            rootUp.until("the 60,000-byte message", () -> root.available() == 60_000);
        }
    }

    @Test // issue 11: a JOIN the application never accepts is dropped after joinTimeoutMillis: REJECT(WSAETIMEDOUT)
    public void queuedJoinHasItsOwnDeadline() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        try (RawLeaf raw = new RawLeaf(root.localAddress(), 0)) {
            raw.join(Winsock2.JL_BOTH, new byte[0]);
            ConnectionRequest queued = awaitRequest(root, rootUp);
            assertEquals(Winsock2.WSAETIMEDOUT, raw.expectReject());
            assertTrue(raw.closedByPeer());
            assertEquals(null, root.pendingRequest());
            assertEquals(1, counters().count(Limit.REQUEST_DEADLINE));
            expectWsa(Winsock2.WSAECONNRESET, () -> queued.accept(null, new RecordingUpcalls("too late")));
        }
        Member good = join(root, rootUp, true, Winsock2.JL_BOTH, "good");
        assertEquals(0, good.linkUp.count(Winsock2.FD_CLOSE_BIT));
    }

    @Test // issue 11: a provider leaf whose JOIN the root's application never answers reports WSAETIMEDOUT
    public void leafWhoseJoinIsNeverAcceptedTimesOut() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        MultipointSocket leaf = socket(true, C_LEAF_D_LEAF, new RecordingUpcalls("leaf"));
        RecordingCompletion done = new RecordingCompletion();
        leaf.join(request(root.localAddress(), null, Winsock2.JL_BOTH, null), done);
        awaitRequest(root, rootUp);
        done.awaitFailed(Winsock2.WSAETIMEDOUT);
        rootUp.until("the request dropped", () -> root.pendingRequest() == null);
    }

    @Test // issue 11 members held to their join: DATA from a JL_RECEIVER_ONLY member is a violation, not delivered
    public void dataFromAReceiveOnlyMemberAbortsItsLink() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(false, rootUp);
        Member other = join(root, rootUp, false, Winsock2.JL_BOTH, "other");
        try (RawLeaf raw = new RawLeaf(root.localAddress(), 0)) {
            raw.join(Winsock2.JL_RECEIVER_ONLY, new byte[0]);
            RecordingUpcalls linkUp = new RecordingUpcalls("receive-only link");
            closeLater(awaitRequest(root, rootUp).accept(null, linkUp));
            raw.expect(RawLeaf.ACCEPT);
            raw.write(frame(RawLeaf.DATA, ProviderFixture.bytes("forged")));
            assertEquals(Winsock2.WSAECONNABORTED, linkUp.await(Winsock2.FD_CLOSE_BIT));
            assertTrue(raw.closedByPeer());
        }
        assertEquals("nothing delivered to the root", 0, root.available());
        send(other.leaf, "legit");
        assertEquals("legit", receive(root, rootUp, null));
        assertEquals("the other leaf's own loopback copy", "legit", receive(other.leaf, other.leafUp, null));
        assertEquals("and nothing relayed", 0, other.leaf.available());
        assertEquals(1, counters().count(PeerEvent.PROTOCOL_VIOLATION));
    }

    @Test // issue 11 members held to their join: DATA to a JL_SENDER_ONLY leaf is a violation for that link
    public void dataToASendOnlyLeafAbortsItsConnection() throws Exception {
        try (ServerSocket rawRoot = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            rawRoot.setSoTimeout((int) RecordingUpcalls.TIMEOUT_MILLIS);
            RecordingUpcalls leafUp = new RecordingUpcalls("send-only leaf");
            MultipointSocket leaf = socket(true, C_LEAF_D_LEAF, leafUp);
            RecordingCompletion done = new RecordingCompletion();
            leaf.join(request(SOCKADDR.of("127.0.0.1", rawRoot.getLocalPort()), null, Winsock2.JL_SENDER_ONLY, null),
                    done);
            try (Socket s = rawRoot.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                in.skipNBytes(in.readInt()); // the JOIN
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                out.write(frame(RawLeaf.ACCEPT, new byte[] {0, 0}));
                done.awaitCode();
                out.write(frame(RawLeaf.DATA, ProviderFixture.bytes("unwanted")));
                assertEquals(Winsock2.WSAECONNABORTED, leafUp.await(Winsock2.FD_CLOSE_BIT));
            }
        }
        assertEquals(1, counters().count(PeerEvent.PROTOCOL_VIOLATION));
    }

    @Test // issue 11: a JOIN queued for WSAAccept may be followed by LEAVE(0) only to withdraw it
    public void leaveWithdrawsAQueuedJoin() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        try (RawLeaf raw = new RawLeaf(root.localAddress(), 0)) {
            raw.join(Winsock2.JL_BOTH, new byte[0]);
            ConnectionRequest queued = awaitRequest(root, rootUp);
            raw.write(frame(RawLeaf.LEAVE, int32(0)));
            rootUp.until("the request withdrawn", () -> root.pendingRequest() == null);
            expectWsa(Winsock2.WSAECONNRESET, () -> queued.accept(null, new RecordingUpcalls("gone")));
        }
    }

    @Test // issue 11 loops never die: an application upcall that throws (even an Error) cuts nobody, stops nothing
    public void throwingUpcallIsSwallowedAndTheMemberStays() throws Exception {
        RecordingUpcalls recorded = new RecordingUpcalls("root");
        ProviderSocket rootSocket = provider.socket(entry(Winsock2.AF_INET, true), C_ROOT_D_ROOT, (bit, code) -> {
            recorded.post(bit, code);
            if (bit == Winsock2.FD_READ_BIT) {
                throw new OutOfMemoryError("injected by the test");
            }
        });
        MultipointSocket root = closeLater((MultipointSocket) rootSocket);
        root.bind(SOCKADDR.of("127.0.0.1", 0));
        root.listen(Winsock2.SOMAXCONN);
        Member m = join(root, recorded, true, Winsock2.JL_BOTH, "leaf");
        send(m.leaf, "one");
        assertEquals("one", receive(root, recorded, null));
        send(m.leaf, "two");
        assertEquals("two", receive(root, recorded, null));
        assertEquals("the member was not cut", 0, m.linkUp.count(Winsock2.FD_CLOSE_BIT));
        assertEquals(0, m.leafUp.count(Winsock2.FD_CLOSE_BIT));
        recorded.until("both failures counted", () -> counters().count(PeerEvent.UPCALL_FAILURE) == 2);
        send(root, "back");
        assertEquals("back", receive(m.leaf, m.leafUp, null));
    }
}
