package org.joinleaf.tcp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.joinleaf.tcp.session.TcpSettings;
import org.junit.After;
import org.junit.Test;

/**
 * A leaf that dies (reliability.md scorecard 5): a leaf in its own JVM killed with SIGKILL, and a leaf cut off by a
 * silent partition inside a network namespace the test makes (veth pair; the namespace's end is set down, so
 * nothing is sent, refused or reset: packets just stop). The root's c_leaf must report {@code FD_CLOSE}: with
 * {@code WSAECONNRESET} after a kill (the kernel closes the dead process's socket, no LEAVE), with
 * {@code WSAECONNABORTED} at the heartbeat timeout after a partition. Delays are printed; only generous bounds are
 * asserted.
 */
public class LeafCrashSoakTest extends ProviderFixture {
    private static final int HEARTBEAT_TIMEOUT = 1000;
    /** Not a performance bound: only "detected at all, in about the time the contract says". */
    private static final long GENEROUS_MILLIS = 5000;

    private final List<Process> children = new ArrayList<>();
    private NetNamespace netns;

    @Override
    TcpSettings.Builder settings() {
        TcpSettings.Builder b = TcpSettings.builder();
        b.heartbeatIntervalMillis = 200;
        b.heartbeatTimeoutMillis = HEARTBEAT_TIMEOUT;
        return b;
    }

    @After
    public void cleanUp() throws Exception {
        for (Process p : children) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        if (netns != null) {
            netns.close();
        }
    }

    @Test // reliability.md scorecard 5 (kill -9); PROTOCOL.md §8: a connection that ends without LEAVE -> WSAECONNRESET
    public void killedLeafProcessIsSeenByTheRoot() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        Process leaf = startLeaf(List.of(), root.localAddress());
        RecordingUpcalls linkUp = admit(root, rootUp, leaf);

        long killedAt = System.nanoTime();
        leaf.destroyForcibly(); // SIGKILL on Linux
        assertEquals(Winsock2.WSAECONNRESET, linkUp.await(Winsock2.FD_CLOSE_BIT));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        System.out.printf("leaf crash: kill -9 -> root FD_CLOSE(WSAECONNRESET) after %d ms%n", millis);
        assertTrue("FD_CLOSE after " + millis + " ms", millis < GENEROUS_MILLIS);
    }

    @Test // reliability.md scorecard 5 (silent partition): heartbeat timeout -> WSAECONNABORTED (PROTOCOL.md §7)
    public void partitionedLeafIsClosedAtTheHeartbeatTimeout() throws Exception {
        netns = NetNamespace.tryCreate();
        assumeTrue("skipped: cannot create a network namespace here (`ip netns add` needs root and iproute2): "
                + NetNamespace.lastFailure(), netns != null);
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = socket(true, C_ROOT_D_ROOT, rootUp);
        root.bind(SOCKADDR.of(netns.hostAddress(), 0));
        root.listen(Winsock2.SOMAXCONN);
        Process leaf = startLeaf(netns.execPrefix(), root.localAddress());
        RecordingUpcalls linkUp = admit(root, rootUp, leaf);

        long cutAt = System.nanoTime();
        netns.partition();
        assertEquals(Winsock2.WSAECONNABORTED, linkUp.await(Winsock2.FD_CLOSE_BIT));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutAt);
        System.out.printf("leaf partition: root FD_CLOSE(WSAECONNABORTED) after %d ms (heartbeat timeout %d ms)%n",
                millis, HEARTBEAT_TIMEOUT);
        assertTrue("FD_CLOSE after " + millis + " ms", millis < HEARTBEAT_TIMEOUT + GENEROUS_MILLIS);
    }

    /** Accepts the child's join and waits until the child has seen its ACCEPT. */
    private RecordingUpcalls admit(MultipointSocket root, RecordingUpcalls rootUp, Process leaf) throws Exception {
        CompletableFuture<String> joined = CompletableFuture.supplyAsync(() -> firstLine(leaf));
        RecordingUpcalls linkUp = new RecordingUpcalls("link of the child leaf");
        awaitRequest(root, rootUp, ChildJvm.START_MILLIS).accept(null, linkUp);
        assertEquals(CrashLeafMain.JOINED, joined.get(RecordingUpcalls.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
        return linkUp;
    }

    private Process startLeaf(List<String> prefix, SOCKADDR root) throws IOException {
        Process p = ChildJvm.start(prefix, CrashLeafMain.class,
                root.toInetSocketAddress().getAddress().getHostAddress(), Integer.toString(root.port));
        children.add(p);
        return p;
    }

    private static String firstLine(Process p) {
        try (BufferedReader r = p.inputReader()) {
            return ChildJvm.nextLine(r, p);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
