package org.joinleaf.gateway.hostile;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.joinleaf.api.Winsock2;
import org.joinleaf.gateway.hostile.Attacks.Opening;
import org.joinleaf.gateway.hostile.HostileRig.Root;
import org.junit.AfterClass;
import org.junit.Test;

/**
 * Issue 11 item 7: the hostile-peer suite against the real gateway process, one method per attack of the issue's
 * list so each verdict stands alone. The gateway (run.sh, -Xmx32m, -XX:MaxDirectMemorySize=32m, provider.qos and
 * provider.tcp installed from the shell) is started once per kind of process the cases need (descriptor limit, TLS
 * mode) and serves a case only while it is back at its idle state after the previous one (else, and after a failed
 * case, the next case of that kind gets a fresh one: {@link HostileRig#closeCase}). Each case opens its own root with three
 * legitimate leaves streaming and a legitimate join every 200 ms, then attacks for {@code joinleaf.hostile.seconds}
 * (default 3, the build's short variant; the benchmark mode runs 60: {@code ./bench/run.sh hostile}). Pass criteria: {@link CaseResult}. The table
 * attack -> figures goes to stdout and to {@code target/hostile-report.md}.
 */
public class HostilePeersIT {
    static final int SECONDS = Integer.getInteger("joinleaf.hostile.seconds", 3);
    private static final int RAW_JOINS = Integer.getInteger("joinleaf.hostile.joins", 10_000);
    private static final String GROUP = "239.255.11.1";
    private static final List<CaseResult> RESULTS = new ArrayList<>();
    /**
     * The processes later cases may reuse, at most one per kind (descriptor limit, TLS mode): JUnit runs the methods in
     * no fixed order, so a case of another kind must not end a process the cases after it could still use.
     */
    private static final List<HostileRig> RIGS = new ArrayList<>();

    // issue 11 item 7: the control: the legitimate traffic alone meets every criterion, or no attack's verdict means
    // anything
    @Test
    public void controlWithoutAttack() throws Exception {
        attack(Root.standard(), Attacks.none());
    }

    // issue 11: one unauthenticated connection floods PING before JOIN, reading nothing (every PING queues a PONG)
    @Test
    public void pingFloodBeforeJoin() throws Exception {
        attack(Root.standard(), Attacks.pingFlood("PING flood before JOIN", Opening.NOTHING));
    }

    // issue 11: the same after JOIN while the join waits for a WSAAccept that never comes (no deadline applied)
    @Test
    public void pingFloodWhileAwaitingAccept() throws Exception {
        attack(Root.standard().withLobby(), Attacks.pingFlood("PING flood awaiting WSAAccept", Opening.JOIN_UNACCEPTED));
    }

    // issue 11: the same as an accepted JL_SENDER_ONLY member (evicted only after an 85 MB backlog)
    @Test
    public void pingFloodAsSenderOnlyMember() throws Exception {
        attack(Root.standard(), Attacks.pingFlood("PING flood as JL_SENDER_ONLY member", Opening.JOIN_SENDER_ONLY));
    }

    // issue 11: 1024 connections from 8 addresses, each all but one byte of a 64 KiB frame before JOIN
    @Test
    public void partialFramesBeforeJoin() throws Exception {
        attack(Root.standard(), Attacks.hold("partial 64 KiB frames before JOIN", 2, 8, 128, Attacks.partialFrame()));
    }

    // issue 11: the same with MUTUAL_TLS plus the admission policy: peers without a certificate, each all but one byte
    // of an 18 KiB TLS record (the TLS handler holds a record until it is whole)
    @Test
    // Memory and recovery met (decisions 37, 41): the build's verdict passed 3 of 3 runs at load average 11-22. The timed
    // 60 s variant still fails on join latency: legitimate MUTUAL_TLS joins p99 281 and 811 ms (target 200 ms).
    public void partialTlsRecordsWithoutCertificate() throws Exception {
        attack(Root.standard().withMutualTls(), Attacks.hold("partial 18 KiB TLS records, no certificate (MUTUAL_TLS)", 12,
                8, 128, Attacks.partialTlsRecord()));
    }

    // issue 11: receive queues in messages, not bytes: a member sends 64 KiB DATA to a root that does not read
    @Test
    public void receiveQueueFloodToNonReadingRoot() throws Exception {
        attack(Root.standard().reads("none"),
                Attacks.dataFlood("64 KiB DATA to a non-reading root", "127.3.0.1", Winsock2.JL_BOTH, 65536, false, 0));
    }

    // issue 11 item 1, decision 49: members of a non-reading root, paused (its receive queue full), each bursts 64 KiB
    // and shuts its output without reading, 320 at a time and up to 2,000 in all; under epoll the gateway reads each to
    // its end and must hold those bytes within twice the high mark per connection and maxReceivedBytes in all
    @Test
    public void pausedHalfClosedMembersOfNonReadingRoot() throws Exception {
        attack(Root.standard().reads("none"), Attacks.pausedHalfClosedMembers(320, 8, 1100, 50, 1, 2000));
    }

    // issue 11: caps that do not fit: 10,000 raw JOINs from 127.4.x.y to an accept-all root
    @Test
    public void tenThousandRawJoins() throws Exception {
        attack(Root.standard(), Attacks.rawJoins(RAW_JOINS, 4));
    }

    // issue 11: multicast: 64 KiB datagrams to a joined group, and unicast datagrams to the group's port
    @Test
    public void multicastFloodAndUnicastToGroupPort() throws Exception {
        attack(Root.standard().withGroup(GROUP), Attacks.multicastFlood(GROUP));
    }

    // issue 11: members not held to their join: a JL_RECEIVER_ONLY member sends DATA
    @Test
    public void receiveOnlyMemberSendsData() throws Exception {
        attack(Root.standard(), Attacks.receiveOnlySendsData());
    }

    // issue 11: members not held to their join: LEAVE carrying 10050 or -5
    @Test
    public void leaveWithUndocumentedCodes() throws Exception {
        attack(Root.standard(), Attacks.leaveWithUndocumentedCodes());
    }

    // issue 11: shut out by a few addresses: about 1,100 slow handshakes from 9 addresses
    @Test
    public void slowHandshakesFromNineAddresses() throws Exception {
        attack(Root.standard(), Attacks.hold("slow handshakes from 9 addresses", 6, 9, 123, new byte[0]));
    }

    // issue 11: relay without push-back: one member of a non-rooted-data session sending flat out
    @Test
    public void relayFloodInNonRootedDataSession() throws Exception {
        Attack flood = Attacks.dataFlood("relay flood (non-rooted data)", "127.7.0.1", Winsock2.JL_BOTH, 1024, true, 0);
        attack(Root.standard().relayed(), flood, true);
    }

    // issue 11: logs: new connections each sending an unknown frame type
    @Test
    public void unknownFrameTypePerConnection() throws Exception {
        attack(Root.standard(), Attacks.unknownFrameTypes(2));
    }

    // issue 11: descriptors: a gateway with nofile=256 under 400 held connections (accept must back off on EMFILE)
    @Test
    public void descriptorExhaustionWithNofile256() throws Exception {
        attack(Root.standard().nofile(256), Attacks.hold("held connections, nofile=256", 9, 4, 100, new byte[0]));
    }

    // issue 11: back-pressure mistaken for silence: a slow-reading root and two live members sending 500 msg/s
    @Test
    public void slowReadingRootVersusHeartbeat() throws Exception {
        attack(Root.standard().reads("slow"), Attacks.liveSendersToSlowReader());
    }

    private static void attack(Root root, Attack attack) throws Exception {
        attack(root, attack, false);
    }

    private static void attack(Root root, Attack attack, boolean byRate) throws Exception {
        CaseResult r;
        HostileRig rig = rigFor(root);
        boolean reusable = false;
        long t0 = System.nanoTime();
        try {
            rig.open(root);
            long t1 = System.nanoTime();
            r = rig.run(attack, SECONDS, byRate);
            long t2 = System.nanoTime();
            reusable = rig.closeCase() && r.violations().isEmpty();
            System.out.printf("[hostile] %s: open %d ms, run %d ms, close %d ms%n", attack.name, (t1 - t0) / 1_000_000,
                    (t2 - t1) / 1_000_000, (System.nanoTime() - t2) / 1_000_000);
        } finally {
            if (!reusable) {
                discard(rig);
            }
        }
        synchronized (RESULTS) {
            RESULTS.add(r);
        }
        System.out.println(CaseResult.header() + "\n" + r.row() + "\n\n" + r.details());
        List<String> v = r.violations();
        assertTrue(attack.name + ": " + String.join("; ", v), v.isEmpty());
    }

    /** The idle process of {@code root}'s kind, else a fresh one. */
    private static HostileRig rigFor(Root root) throws Exception {
        for (HostileRig r : RIGS) {
            if (r.fits(root)) {
                return r;
            }
        }
        HostileRig r = HostileRig.start(root);
        RIGS.add(r);
        return r;
    }

    private static void discard(HostileRig r) throws Exception {
        RIGS.remove(r);
        r.close();
    }

    /** Ends every process at once: each takes its SIGTERM's shutdown, and they need not take turns. */
    private static void closeAll() throws Exception {
        List<Thread> closing = new ArrayList<>();
        List<Exception> failures = new ArrayList<>();
        for (HostileRig r : RIGS) {
            Thread t = new Thread(() -> {
                try {
                    r.close();
                } catch (Exception e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }, "hostile-close");
            closing.add(t);
            t.start();
        }
        RIGS.clear();
        for (Thread t : closing) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    @AfterClass
    public static void report() throws Exception {
        closeAll();
        StringBuilder md = new StringBuilder("# Hostile-peer suite (issue 11 item 7)\n\nGateway started by run.sh with"
                + " its own flags; " + SECONDS + " s of attack per case.\n\n" + CaseResult.header() + "\n");
        synchronized (RESULTS) {
            RESULTS.forEach(r -> md.append(r.row()).append('\n'));
            md.append('\n');
            RESULTS.forEach(r -> md.append(r.details()).append('\n'));
        }
        System.out.println(md);
        Path out = Paths.get(System.getProperty("joinleaf.hostile.report", "target/hostile-report.md"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, md.toString().getBytes(StandardCharsets.UTF_8));
    }
}
