package org.joinleaf.tcp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.joinleaf.tcp.session.TcpSettings;
import org.junit.After;
import org.junit.Before;

/**
 * A listening rooted-data c_root with {@code count} raw leaves joined, each from its own source (no per-source join
 * rate in the way), on a provider with {@code loops} session loops; for tests that hold a loop busy while the root
 * sends (fan-out drains, decisions 44 and 46).
 */
abstract class RawLeavesFixture extends ProviderFixture {
    final RecordingUpcalls rootUp = new RecordingUpcalls("root");
    final List<RawLeaf> leaves = new ArrayList<>();
    MultipointSocket root;
    private final int loops;
    private final int count;
    private final String sources;

    /** @param sources the first two octets of the leaves' loopback sources, as "127.20" */
    RawLeavesFixture(int loops, int count, String sources) {
        this.loops = loops;
        this.count = count;
        this.sources = sources;
    }

    @Override
    TcpSettings.Builder settings() {
        TcpSettings.Builder b = TcpSettings.builder();
        b.eventLoopThreads = loops;
        return b;
    }

    @Before
    public void joinLeaves() throws Exception {
        root = listeningRoot(true, rootUp);
        for (int i = 0; i < count; i++) {
            RawLeaf raw = new RawLeaf(root.localAddress(), 0, sources + "." + (i / 200) + "." + (i % 200 + 1));
            leaves.add(raw);
            raw.join(Winsock2.JL_BOTH, new byte[0]);
            sockets.add(awaitRequest(root, rootUp).accept(null, new RecordingUpcalls("link " + i)));
            raw.expect(RawLeaf.ACCEPT);
        }
    }

    @After
    public void closeLeaves() throws IOException {
        for (RawLeaf r : leaves) {
            r.close();
        }
    }

    /** Runs on a loop to hold it until {@code release} (test only: what the loop has queued waits behind it). */
    static void await(CountDownLatch release) {
        try {
            release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
