package org.joinleaf.demo;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.joinleaf.api.Winsock2;
import org.junit.Test;

/** Issue 6 item 3: the demo's output is aligned, names Winsock codes, and its last line says passed or failed. */
public class TranscriptTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final AtomicLong now = new AtomicLong();
    private final Transcript t = new Transcript(new PrintStream(bytes, true, StandardCharsets.UTF_8), now::get);

    private List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    public void eventLine_showsElapsedTimeRoleEventAndWinsockNameWithCode() {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(412));
        t.event("leaf2", "FD_CLOSE", Role.code(Winsock2.WSAENETDOWN), "c_leaf socket 7 closed");
        assertEquals("   +0.412s  leaf2   FD_CLOSE                    WSAENETDOWN (10050)     c_leaf socket 7 closed",
                lines().get(0));
    }

    @Test
    public void summary_alignsResultsAndEndsWithPassedAndRunTime() {
        t.check("short", true, "yes");
        t.check("a much longer check", true, "WSASYSCALLFAILURE (10107)");
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1500));
        t.summary();
        List<String> l = lines();
        String first = l.get(l.size() - 3);
        String second = l.get(l.size() - 2);
        assertEquals("results start in one column", first.indexOf("yes"), second.indexOf("WSASYSCALLFAILURE"));
        assertEquals(Transcript.PASSED + " in 1.500s", l.get(l.size() - 1));
        assertTrue(t.passed());
    }

    @Test
    public void oneFailedCheck_failsTheDemoAndIsPrintedWhereItHappens() {
        t.check("fine", true, "yes");
        t.check("the root read every leaf's data", false, "3 missing after 10000 ms");
        t.summary();
        List<String> l = lines();
        assertEquals("  !! the root read every leaf's data: 3 missing after 10000 ms", l.get(0));
        assertTrue(l.get(l.size() - 1).startsWith(Transcript.FAILED + " (1 of 2 checks)"));
        assertFalse(t.passed());
    }

    @Test
    public void noChecksAtAll_isNotAPass() {
        t.summary();
        assertFalse(t.passed());
    }
}
