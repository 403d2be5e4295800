package org.joinleaf.gateway.hostile;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

/**
 * Issue 11 item 7's pass criteria as {@link CaseResult} judges them: a healthy case passes, and each criterion alone
 * fails it (so the hostile-peer suite can fail). Also the parsing of the probe and stats lines it reads from the shell.
 */
public class HostileCriteriaTest {
    private static final long MIB = 1 << 20;
    private static final Sample BASE = new Sample(10 * MIB, 8 * MIB, 32 * MIB, MIB, MIB, 32 * MIB, 36, 52);

    private static CaseResult healthy() {
        CaseResult r = new CaseResult("test", 3, BASE);
        r.samples.add(BASE);
        r.alive = true;
        r.joinsP99 = 12;
        r.recovery = 40;
        r.leaves(List.of(new CaseResult.Leaf("127.0.0.11", null, 0, 999, 300)), 300, 1000);
        return r;
    }

    private static void failsWith(CaseResult r, String words) {
        List<String> v = r.violations();
        assertEquals(v.toString(), 1, v.size());
        assertTrue(v.get(0), v.get(0).contains(words));
    }

    @Test
    public void aHealthyCasePasses() {
        assertEquals(List.of(), healthy().violations());
    }

    @Test
    public void theGatewayMustStayUpAndItsShellAnswer() {
        CaseResult dead = healthy();
        dead.alive = false;
        failsWith(dead, "exited");
        CaseResult silent = healthy();
        silent.shellProblems.add("no answer within 5000 ms");
        failsWith(silent, "probes unanswered");
    }

    @Test
    public void heapAndEitherDirectCounterStayUnder90Percent() {
        CaseResult heap = healthy();
        heap.samples.add(new Sample(31 * MIB, 29 * MIB, 32 * MIB, MIB, MIB, 32 * MIB, 36, 52));
        failsWith(heap, "peak heap");
        CaseResult netty = healthy();
        netty.samples.add(new Sample(10 * MIB, 8 * MIB, 32 * MIB, MIB, 30 * MIB, 32 * MIB, 36, 52));
        failsWith(netty, "peak direct");
    }

    @Test
    public void legitimateLeavesStayJoinedInOrderAndComplete() {
        CaseResult cut = healthy();
        cut.leafProblems.clear();
        cut.leaves(List.of(new CaseResult.Leaf("127.0.0.11", "java.io.EOFException", 0, 500, 150)), 300, 1000);
        failsWith(cut, "cut");
        CaseResult gap = healthy();
        gap.leafProblems.clear();
        gap.leaves(List.of(new CaseResult.Leaf("127.0.0.11", null, 1, 999, 299)), 300, 1000);
        failsWith(gap, "gaps");
        CaseResult behind = healthy();
        behind.leafProblems.clear();
        behind.leaves(List.of(new CaseResult.Leaf("127.0.0.11", null, 0, 900, 200)), 300, 1000);
        failsWith(behind, "last message 900 of 999");
    }

    @Test
    public void relayCaseJudgesTheLeavesByRate() {
        CaseResult slow = healthy();
        slow.byRate = true;
        slow.leafProblems.clear();
        slow.leaves(List.of(new CaseResult.Leaf("127.0.0.11", null, 0, 999, 269)), 300, 1000);
        failsWith(slow, "< 0.9x");
        CaseResult enough = healthy();
        enough.byRate = true;
        enough.leafProblems.clear();
        enough.leaves(List.of(new CaseResult.Leaf("127.0.0.11", null, 0, 700, 270)), 300, 1000);
        assertEquals(List.of(), enough.violations());
    }

    @Test
    public void legitimateJoinsP99AtMost200Ms() {
        CaseResult slow = healthy();
        slow.timed = true; // the benchmark mode: the join-latency target decides
        slow.joinsP99 = 201;
        failsWith(slow, "p99 201 ms");
        CaseResult none = healthy();
        none.joinsP99 = -1;
        failsWith(none, "no legitimate join finished");
    }

    @Test
    public void recoveryWithin5sAndPeerTriggeredLoggingBounded() {
        CaseResult stuck = healthy();
        stuck.recovery = -1;
        failsWith(stuck, "no return to baseline");
        CaseResult noisy = healthy();
        noisy.logLines = CaseResult.LOG_LINES_BASE + CaseResult.LOG_LINES_PER_SECOND * 3 + 1;
        failsWith(noisy, "warning/error lines");
    }

    @Test
    public void probeAndStatsLinesParse() {
        Sample s = Sample.parse(List.of("g! probe heapUsed=1 heapAfterGc=2 heapMax=3 directPool=4 directNetty=-1"
                + " directMax=6 threads=7 fds=8"));
        assertEquals(new Sample(1, 2, 3, 4, -1, 6, 7, 8), s);
        assertEquals(4, s.direct());
        String stats = "stats sent=12 closes={-5=3,0=2,10050=1} received={127.5.*=7} group={M=9,U=2}";
        assertEquals(12, CaseResult.sent(stats));
        assertEquals(3, Attacks.statCount(stats, "closes", "-5"));
        assertEquals(7, Attacks.statCount(stats, "received", "127.5.*"));
        assertEquals(2, Attacks.statCount(stats, "group", "U"));
        assertEquals(0, Attacks.statCount(stats, "closes", "10054"));
    }
}
