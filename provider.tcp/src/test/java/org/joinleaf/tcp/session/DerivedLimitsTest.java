package org.joinleaf.tcp.session;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.function.Consumer;
import org.junit.Test;

/**
 * Issue 11, "caps that do not fit": the memory settings default to shares of the JVM's real limits (0 = derived),
 * so the worst case of every cap together fits the gateway's 32 MB heap and 32 MB direct memory, and an explicit
 * setting that cannot fit fails activation with a message naming it.
 */
public class DerivedLimitsTest {
    private static final long MB = 1024L * 1024;
    private static final DerivedLimits GATEWAY = DerivedLimits.from(32 * MB, 32 * MB);
    private static final DerivedLimits BENCH = DerivedLimits.from(512 * MB, 512 * MB);

    @Test // issue 11 deliverable 1: defaults derived from -Xmx and -XX:MaxDirectMemorySize
    public void defaultsAreSharesOfTheJvmLimits() {
        assertEquals(4 * MB, GATEWAY.maxReceivedBytes());
        assertEquals(1 * MB, GATEWAY.receiveQueueBytes());
        assertEquals(1024, GATEWAY.maxLeavesPerRoot());
        assertEquals(8 * MB, GATEWAY.maxQueuedBytes());
        assertEquals(64 * MB, BENCH.maxReceivedBytes());
        assertEquals(16 * MB, BENCH.receiveQueueBytes());
        assertEquals(16384, BENCH.maxLeavesPerRoot());
        assertEquals(128 * MB, BENCH.maxQueuedBytes());
        assertEquals("the old 256 MiB default was 8x the gateway's direct memory", 8 * MB,
                GATEWAY.resolve(TcpSettings.defaults()).maxQueuedBytes());
    }

    @Test // issue 11: 0 means derived; an explicit value is kept
    public void resolveFillsOnlyTheDerivedSettings() {
        TcpSettings.Builder b = TcpSettings.builder();
        b.maxLeavesPerRoot = 100;
        TcpSettings s = GATEWAY.resolve(b.build());
        assertEquals(100, s.maxLeavesPerRoot());
        assertEquals(GATEWAY.maxQueuedBytes(), s.maxQueuedBytes());
        assertEquals(GATEWAY.maxReceivedBytes(), s.maxReceivedBytes());
        assertEquals(GATEWAY.receiveQueueBytes(), s.receiveQueueBytes());
        b.maxReceivedBytes = 512 * 1024; // an explicit total below the derived per-socket share caps it
        assertEquals(512 * 1024, GATEWAY.resolve(b.build()).receiveQueueBytes());
    }

    @Test // issue 11: the worst case of all caps together fits the gateway's 32 MB, and 512 MB
    public void derivedDefaultsFitTheirJvm() {
        for (DerivedLimits jvm : new DerivedLimits[] {GATEWAY, BENCH}) {
            TcpSettings s = jvm.resolve(TcpSettings.defaults());
            jvm.checkFits(s);
            long heap = 0;
            long direct = 0;
            for (DerivedLimits.WorstCase c : jvm.worstCases(s)) {
                if (c.memory().equals("heap")) {
                    heap += c.bytes();
                } else {
                    direct += c.bytes();
                }
            }
            assertTrue("heap worst case " + heap, heap <= jvm.maxHeap() / 2);
            assertTrue("direct worst case " + direct, direct <= jvm.maxDirect() / 2);
        }
    }

    @Test // issue 11 "caps that do not fit": maxLeavesPerRoot 10,000 and maxQueuedBytes 256 MiB in 32 MB
    public void explicitSettingsThatCannotFitNameTheSetting() {
        doesNotFit("maxLeavesPerRoot", b -> b.maxLeavesPerRoot = 10_000);
        doesNotFit("maxQueuedBytes", b -> b.maxQueuedBytes = 256 * MB);
        doesNotFit("maxReceivedBytes", b -> b.maxReceivedBytes = 64 * MB);
    }

    private static void doesNotFit(String setting, Consumer<TcpSettings.Builder> change) {
        TcpSettings.Builder b = TcpSettings.builder();
        change.accept(b);
        try {
            new TcpTransport(b.build(), () -> null, GATEWAY).shutdown(1000);
            fail(setting + " must not fit 32 MB");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith(setting + " does not fit this JVM"));
            assertTrue(e.getMessage(), e.getMessage().contains("0 derives it"));
        }
    }
}
