package org.joinleaf.tcp.session;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.Test;

/**
 * Decision 46: a fan-out batch gives each target one write per stretch of consecutive frames it is a target of,
 * also when the target lists differ from send to send (a flood's joins and displacements between the root's sends);
 * a target's runs keep batch order, and every byte it was sent is in exactly one of them.
 */
public class RunsTest {
    private final Runs<String> runs = new Runs<>();

    @Test // decision 46: one list for every frame: one run per target over the whole batch
    public void unchangedMembershipIsOneRunPerTarget() {
        List<String> members = List.of("a", "b", "c");
        runs.add(members, 0, 10);
        runs.add(members, 10, 25);
        runs.add(members, 25, 30);
        assertEquals(List.of("a 0-30", "b 0-30", "c 0-30"), describe(runs));
    }

    @Test // decision 46: a new list per send (a member joined, another left): still one write per target
    public void churnBetweenSendsStillGivesOneRunPerTarget() {
        runs.add(new ArrayList<>(List.of("a", "b", "c")), 0, 10);
        runs.add(new ArrayList<>(List.of("a", "b", "c", "d")), 10, 20); // d joined
        runs.add(new ArrayList<>(List.of("b", "c", "d")), 20, 30); // a was displaced
        assertEquals(List.of("a 0-20", "b 0-30", "c 0-30", "d 10-30"), describe(runs));
    }

    @Test // R15 order per target: a target that missed a frame gets its runs in batch order, none of the missed bytes
    public void aTargetThatMissedAFrameGetsItsRunsInOrder() {
        runs.add(List.of("a", "b"), 0, 10);
        runs.add(List.of("b"), 10, 20);
        runs.add(List.of("a", "b"), 20, 30);
        runs.add(List.of("a"), 30, 40);
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        for (String run : describe(runs)) {
            (run.startsWith("a") ? a : b).add(run);
        }
        assertEquals(List.of("a 0-10", "a 20-40"), a);
        assertEquals(List.of("b 0-30"), b);
    }

    @Test // the next batch starts from nothing
    public void takeStartsAnew() {
        runs.add(List.of("a"), 0, 10);
        runs.add(List.of("b"), 10, 20);
        describe(runs);
        runs.add(List.of("c"), 0, 5);
        assertEquals(List.of("c 0-5"), describe(runs));
    }

    private static List<String> describe(Runs<String> batch) {
        List<String> out = new ArrayList<>();
        for (int i = 0, n = batch.end(); i < n; i++) {
            out.add(batch.target(i) + " " + batch.from(i) + "-" + (batch.from(i) + batch.length(i)));
        }
        // targets' order does not matter; each target's own runs keep theirs (a stable sort by target only)
        out.sort(Comparator.comparing(r -> r.substring(0, r.indexOf(' '))));
        return out;
    }
}
