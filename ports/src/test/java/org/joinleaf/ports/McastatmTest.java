package org.joinleaf.ports;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.joinleaf.local.LocalProviders;
import org.joinleaf.local.LocalProvider;
import org.joinleaf.ports.mcastatm.Mcastatm;
import org.joinleaf.runtime.ProviderCatalog;
import org.joinleaf.runtime.dto.SocketDTO;
import org.joinleaf.tcp.TcpProvider;
import org.joinleaf.tcp.session.TcpSettings;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * Issue 13 deliverable 3: the ported {@code mcastatm} (rooted control and data planes) on provider.tcp and on
 * provider.local, with ATM addresses mapped to IP (Support.AtmToIp): a root invites {@value #LEAVES} listening leaves
 * at 127.0.0.2-4 with WSAJoinLeaf and sends {@value #COUNT} messages of 128 bytes; every leaf reads exactly
 * {@value #COUNT}, in order, each filled with the letter the root sent. Each program is its own Winsock process.
 */
@RunWith(Parameterized.class)
public class McastatmTest {
    private static final int LEAVES = 3;
    private static final int COUNT = 100;
    /** A made-up NSAP prefix (13 bytes); the ESI (IPv4 address, base port) and the selector follow. */
    private static final String PREFIX = "47000580FFE1000000F21A0001";
    private static final String SELECTOR = "01";

    @Parameters(name = "{0}")
    public static List<Object[]> providers() {
        return List.of(new Object[] {"tcp"}, new Object[] {"local"});
    }

    private final String providerName;
    private final List<ProgramRun> runs = new ArrayList<>();
    private TcpProvider tcp;
    private LocalProvider local;
    private ProviderCatalog catalog;
    private int basePort;

    public McastatmTest(String providerName) {
        this.providerName = providerName;
    }

    @Before
    public void start() {
        catalog = new ProviderCatalog();
        if (providerName.equals("tcp")) {
            tcp = new TcpProvider();
            tcp.start(TcpSettings.defaults());
            catalog.add(tcp, "tcp", 200, 1L);
        } else {
            local = LocalProviders.started();
            catalog.add(local, "local", 200, 1L);
        }
        basePort = ThreadLocalRandom.current().nextInt(20000, 60000);
    }

    @After
    public void stop() throws InterruptedException {
        for (ProgramRun run : runs) {
            run.close();
        }
        if (tcp != null) {
            tcp.stop();
        }
        if (local != null) {
            LocalProviders.stop(local);
        }
    }

    /** The 38 hex digits of the ATM address that maps to 127.0.0.{@code host}:basePort+selector. */
    private String atm(int host) {
        return PREFIX + String.format("7F0000%02X%04X", host, basePort);
    }

    private ProgramRun mcastatm(String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "mcastatm";
        System.arraycopy(args, 0, argv, 1, args.length);
        ProgramRun run = ProgramRun.start(catalog, Mcastatm::new, 0, argv); // Sleep(500) between sends: not paced here
        runs.add(run);
        return run;
    }

    // Scenario: the book's demo, one root and LEAVES leaves, on this provider; counts exact, contents as sent.
    @Test
    public void rootInvitesLeavesAndEveryLeafReadsEveryMessage() throws Exception {
        List<ProgramRun> leaves = new ArrayList<>();
        for (int i = 0; i < LEAVES; i++) {
            leaves.add(mcastatm("-i", atm(2 + i), "-p", SELECTOR, "-n", String.valueOf(COUNT)));
        }
        boolean listening = listening(LEAVES);
        assertTrue("leaves not listening: " + leaves, listening);

        List<String> args = new ArrayList<>(List.of("-s", "-i", atm(1), "-p", SELECTOR, "-n", String.valueOf(COUNT)));
        for (int i = 0; i < LEAVES; i++) {
            args.addAll(List.of("-l", atm(2 + i)));
        }
        ProgramRun root = mcastatm(args.toArray(new String[0]));
        for (ProgramRun leaf : leaves) {
            boolean invited = leaf.awaitLine(l -> l.equals("Received a connection!"), ProgramRun.WAIT_MILLIS);
            assertTrue("leaf not invited: " + leaf + " root: " + root, invited);
        }
        root.pressKey(); // "Press a key to start sending."

        assertEquals("root: " + root, 0, root.exitCode(ProgramRun.WAIT_MILLIS));
        assertEquals(COUNT, root.count("[") - LEAVES); // "[nn] Wrote" lines besides the "[nn] Inviting" ones
        assertTrue(root.lines().contains("Binding to: <127.0.0.1:" + (basePort + 1) + ">"));
        for (int i = 0; i < LEAVES; i++) {
            ProgramRun leaf = leaves.get(i);
            assertEquals("leaf: " + leaf, 0, leaf.exitCode(ProgramRun.WAIT_MILLIS));
            List<String> reads = leaf.lines().stream().filter(l -> l.contains("] READ ")).toList();
            assertEquals(COUNT, reads.size());
            for (int n = 0; n < COUNT; n++) {
                String letters = String.valueOf((char) ('a' + n % 26)).repeat(128);
                assertEquals(String.format("[%02d] READ 128 bytes: '%s'", n, letters), reads.get(n));
            }
        }
    }

    /** Waits (bounded) until {@code n} sockets of the catalog are listening: the leaves are in WSAAccept. */
    private boolean listening(int n) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ProgramRun.WAIT_MILLIS);
        while (System.nanoTime() < deadline) {
            long count = catalog.socketDTOs().stream().map((SocketDTO d) -> d.state).filter("listening"::equals).count();
            if (count >= n) {
                return true;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return false;
    }
}
