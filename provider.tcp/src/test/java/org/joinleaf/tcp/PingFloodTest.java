package org.joinleaf.tcp;

import static org.joinleaf.tcp.Wire.frame;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.joinleaf.tcp.session.TcpSettings;
import org.joinleaf.tcp.session.TransportLoops;
import org.junit.Test;

/**
 * Issue 11, "one unauthenticated connection kills the gateway": a peer floods PING and reads nothing. Every PONG
 * used to be queued, so the heap went after a few seconds. Now at most one PONG (and one heartbeat PING of ours) is
 * on its way per connection: what Netty holds for the flooding connection stays at one or two small writes.
 */
public class PingFloodTest extends ProviderFixture {
    /** Netty counts 96 bytes of bookkeeping per queued write besides the frame's 5 bytes. */
    private static final long ONE_PONG_AND_ONE_PING = 2 * (96 + 5);
    /** PINGs per write of the flooding peer (the build runs Netty's paranoid leak detection: frames are dear). */
    private static final int BATCH = 50_000;
    /** 1 MB of PINGs: far more PONGs than the pinned socket buffers take. */
    private static final int BATCHES = 4;
    private static final long FLOOD_MILLIS = 20_000;
    /** The root's kernel send buffer for the flooding connection, pinned (loopback autotunes it to MBs). */
    private static final int SEND_BUFFER = 4096;

    @Override
    TcpSettings.Builder settings() {
        TcpSettings.Builder b = TcpSettings.builder();
        b.joinTimeoutMillis = 60_000; // the flood is cut by its own bound, not by a deadline
        b.openingFrameTimeoutMillis = 60_000;
        return b;
    }

    @Test // issue 11: PING flood before JOIN, reading nothing: at most one PONG is held for it
    public void pingFloodBeforeJoinHoldsAtMostOnePong() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        try (RawLeaf raw = new RawLeaf(root.localAddress(), 1024)) {
            assertFloodHoldsAtMostOnePong(raw);
        }
    }

    @Test // issue 11: the same flood while the JOIN waits for WSAAccept
    public void pingFloodWhileTheJoinIsQueuedHoldsAtMostOnePong() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        try (RawLeaf raw = new RawLeaf(root.localAddress(), 1024)) {
            raw.join(Winsock2.JL_BOTH, new byte[0]);
            awaitRequest(root, rootUp);
            assertFloodHoldsAtMostOnePong(raw);
            assertTrue("still queued: PINGs are allowed while the JOIN waits", root.pendingRequest() != null);
        }
    }

    /**
     * Floods {@code raw}'s connection with PINGs while a sampler watches what Netty holds for it; the sampler ends
     * the flood (closes the peer) as soon as the bound is passed, so a failing run fails fast.
     */
    private void assertFloodHoldsAtMostOnePong(RawLeaf raw) throws Exception {
        RecordingUpcalls waiter = new RecordingUpcalls("accept");
        waiter.until("the connection is set up", () ->
                TransportLoops.pinSendBuffers(provider.transport(), SEND_BUFFER) == 1);
        byte[] pings = pings(BATCH);
        AtomicLong most = new AtomicLong();
        AtomicBoolean flooding = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (flooding.get()) {
                long held = provider.transport().unflushedBytes();
                if (most.accumulateAndGet(held, Math::max) > ONE_PONG_AND_ONE_PING) {
                    closeQuietly(raw);
                    return;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }, "ping-flood-sampler");
        sampler.start();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FLOOD_MILLIS);
        try {
            for (int i = 0; i < BATCHES && System.nanoTime() - end < 0; i++) {
                raw.write(pings); // blocks while the root is still reading: the root keeps pace with the flood
            }
            Thread.sleep(200); // the last batches are still being read
        } catch (IOException e) {
            // the sampler cut the flood: the assertion below says why
        } finally {
            flooding.set(false);
            sampler.join();
        }
        assertTrue("bytes held for the flooding connection: " + most.get(), most.get() <= ONE_PONG_AND_ONE_PING);
    }

    private static void closeQuietly(RawLeaf raw) {
        try {
            raw.reset();
        } catch (IOException e) {
            // already closed
        }
    }

    private static byte[] pings(int n) {
        byte[] ping = frame(RawLeaf.PING, new byte[0]);
        byte[] all = new byte[ping.length * n];
        for (int i = 0; i < all.length; i += ping.length) {
            System.arraycopy(ping, 0, all, i, ping.length);
        }
        return all;
    }
}
