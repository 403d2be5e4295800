package org.joinleaf.tcp;

import static org.junit.Assert.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.joinleaf.tcp.session.LimitCounters;
import org.joinleaf.tcp.session.LimitCounters.Limit;
import org.joinleaf.tcp.session.TcpSettings;
import org.junit.Test;

/**
 * Decision 35 (issue 11, raw JOINs: 119 of 305 legitimate joins refused while a flood from 127.4.x.y filled
 * {@code maxLeavesPerRoot}): with every place taken, a caller from a network holding fewer places joins, and the
 * newest member of the busiest network's busiest /24 gives way, told why (LEAVE(WSAECONNABORTED); its c_leaf
 * FD_CLOSE(WSAECONNABORTED)). Another JOIN from the flooding /24 is still refused.
 */
public class MemberPlaceFairnessTest extends ProviderFixture {
    private static final int PLACES = 4;

    @Override
    TcpSettings.Builder settings() {
        TcpSettings.Builder b = TcpSettings.builder();
        b.maxLeavesPerRoot = PLACES;
        return b;
    }

    private LimitCounters counters() {
        return provider.transport().counters();
    }

    /** A flood member from {@code source}, accepted by the root (an accept-all application). */
    private RawLeaf floodMember(MultipointSocket root, RecordingUpcalls rootUp, List<RecordingUpcalls> links,
                                String source) throws Exception {
        RawLeaf raw = new RawLeaf(root.localAddress(), 0, source);
        raw.join(Winsock2.JL_BOTH, new byte[0]);
        RecordingUpcalls linkUp = new RecordingUpcalls("link of " + source);
        sockets.add(awaitRequest(root, rootUp).accept(null, linkUp));
        raw.expect(RawLeaf.ACCEPT);
        links.add(linkUp);
        return raw;
    }

    @Test // decision 35: a flood holding every place gives way to a caller from another network
    public void floodHoldingEveryPlaceGivesWayToAnotherNetwork() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        List<RawLeaf> flood = new ArrayList<>();
        List<RecordingUpcalls> floodLinks = new ArrayList<>();
        try {
            for (String source : new String[] {"127.4.1.1", "127.4.0.1", "127.4.0.2", "127.4.0.3"}) {
                flood.add(floodMember(root, rootUp, floodLinks, source));
            }
            Member legit = join(root, rootUp, true, Winsock2.JL_BOTH, "legit", "127.0.0.9");
            RawLeaf newest = flood.get(3); // the newest of the busiest /24, 127.4.0.0/24
            assertEquals("told why", Winsock2.WSAECONNABORTED, ByteBuffer.wrap(newest.expect(RawLeaf.LEAVE)).getInt());
            assertEquals("its c_leaf reports why", Winsock2.WSAECONNABORTED, floodLinks.get(3).await(Winsock2.FD_CLOSE_BIT));
            assertEquals(1, counters().count(Limit.MEMBER_PLACE));
            send(root, "welcome");
            assertEquals("welcome", receive(legit.leaf, legit.leafUp, null));
            for (int i = 0; i < 3; i++) {
                assertEquals("the others keep their places", 0, floodLinks.get(i).count(Winsock2.FD_CLOSE_BIT));
            }
            try (RawLeaf again = new RawLeaf(root.localAddress(), 0, "127.4.0.4")) {
                again.join(Winsock2.JL_BOTH, new byte[0]);
                assertEquals("the busiest /24 takes no place back", Winsock2.WSAECONNREFUSED, again.expectReject());
            }
            assertEquals(1, counters().count(Limit.LEAVES_PER_ROOT));
        } finally {
            for (RawLeaf r : flood) {
                r.close();
            }
        }
    }

    @Test // decision 35: a caller the application rejects costs nobody a place
    public void rejectedCallerDisplacesNobody() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        List<RawLeaf> flood = new ArrayList<>();
        List<RecordingUpcalls> floodLinks = new ArrayList<>();
        try {
            for (int i = 1; i <= PLACES; i++) {
                flood.add(floodMember(root, rootUp, floodLinks, "127.4.0." + i));
            }
            try (RawLeaf caller = new RawLeaf(root.localAddress(), 0, "127.0.0.9")) {
                caller.join(Winsock2.JL_BOTH, new byte[0]);
                awaitRequest(root, rootUp).reject();
                assertEquals(Winsock2.WSAECONNREFUSED, caller.expectReject());
            }
            assertEquals(0, counters().count(Limit.MEMBER_PLACE));
            for (RecordingUpcalls link : floodLinks) {
                assertEquals(0, link.count(Winsock2.FD_CLOSE_BIT));
            }
        } finally {
            for (RawLeaf r : flood) {
                r.close();
            }
        }
    }
}
