package org.joinleaf.local;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.Winsock2;
import org.joinleaf.local.Harness.Sock;
import org.joinleaf.spi.WsaException;
import org.junit.After;
import org.junit.Test;

/**
 * Many application threads on many sockets, with small queues so that WSAEWOULDBLOCK/FD_WRITE and FD_READ
 * re-arming are exercised: nothing is lost, duplicated or reordered per sender, and nobody waits for a wake-up that
 * never comes (§4 FD_WRITE/FD_READ rules, reliability "no silent gaps").
 */
public class ConcurrentDeliveryTest {
    private static final int LEAVES = 4;
    private static final int PER_LEAF = 500;

    private final Harness h = new Harness(Harness.settings(5000, 8, SlowLeafPolicy.BLOCK_SENDER));
    private final ExecutorService pool = Executors.newFixedThreadPool(LEAVES + 1);

    @After
    public void stop() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
        h.close();
    }

    // Scenario 47 under load: concurrent d_leaf senders, one d_root reader
    @Test
    public void concurrentLeafSendsReachTheRootInPerSenderOrder() throws Exception {
        Sock root = h.listeningRoot(LocalCatalog.ROOTED, 7000);
        List<Sock> leaves = new ArrayList<>();
        for (int i = 0; i < LEAVES; i++) {
            Sock leaf = h.leaf(LocalCatalog.ROOTED);
            h.admit(root, leaf, Winsock2.JL_BOTH);
            leaves.add(leaf);
        }
        List<Future<?>> senders = new ArrayList<>();
        for (int i = 0; i < LEAVES; i++) {
            int id = i;
            Sock leaf = leaves.get(i);
            senders.add(pool.submit(() -> {
                for (int seq = 0; seq < PER_LEAF; seq++) {
                    ByteBuffer msg = ByteBuffer.wrap((id + ":" + seq).getBytes(StandardCharsets.UTF_8));
                    while (!trySend(leaf, msg)) {
                        leaf.events().await(Winsock2.FD_WRITE_BIT);
                    }
                }
                return null;
            }));
        }
        int[] next = new int[LEAVES];
        ByteBuffer buf = ByteBuffer.allocate(64);
        for (int received = 0; received < LEAVES * PER_LEAF; received++) {
            buf.clear();
            while (!tryReceive(root, buf)) {
                root.events().await(Winsock2.FD_READ_BIT);
            }
            String[] parts = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).split(":");
            int id = Integer.parseInt(parts[0]);
            assertEquals("leaf " + id + " in order, no gap", next[id]++, Integer.parseInt(parts[1]));
        }
        for (Future<?> f : senders) {
            f.get(5, TimeUnit.SECONDS);
        }
        Harness.assertNothingQueued(root.socket());
    }

    private static boolean trySend(Sock s, ByteBuffer msg) throws WsaException {
        try {
            s.socket().send(msg, null);
            return true;
        } catch (WsaException e) {
            if (e.code() != Winsock2.WSAEWOULDBLOCK) {
                throw e;
            }
            return false;
        }
    }

    private static boolean tryReceive(Sock s, ByteBuffer buf) throws WsaException {
        try {
            s.socket().receive(buf, null, false);
            return true;
        } catch (WsaException e) {
            if (e.code() != Winsock2.WSAEWOULDBLOCK) {
                throw e;
            }
            return false;
        }
    }
}
