package org.joinleaf.bench.tcp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;
import org.junit.Test;

/** Issue 3 item 8: "every leaf verifying count and order" must catch a lost, reordered or cut message. */
public class SequenceCheckTest {
    private final LongAdder all = new LongAdder();
    private final SequenceCheck check = new SequenceCheck("leaf 1", 64, all);

    private static byte[] message(long seq, int length) {
        byte[] m = new byte[length];
        SequenceCheck.stamp(m, seq);
        return m;
    }

    @Test
    public void inOrderMessagesAreCounted() throws IOException {
        for (long seq = 0; seq < 3; seq++) {
            check.accept(message(seq, 64), 64);
        }
        assertEquals(3, check.delivered());
        assertEquals(3, all.sum());
    }

    @Test
    public void aGapFails() throws IOException {
        check.accept(message(0, 64), 64);
        assertThrows(IOException.class, () -> check.accept(message(2, 64), 64));
        assertEquals(1, check.delivered());
    }

    @Test
    public void aDuplicateFails() throws IOException {
        check.accept(message(0, 64), 64);
        assertThrows(IOException.class, () -> check.accept(message(0, 64), 64));
    }

    @Test
    public void aCutOrLongerMessageFails() {
        assertThrows(IOException.class, () -> check.accept(message(0, 65), 63));
        assertThrows(IOException.class, () -> check.accept(message(0, 65), 65));
        assertEquals(0, all.sum());
    }

    @Test
    public void nearestRankPercentiles() {
        long[] sorted = new long[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = i + 1;
        }
        assertEquals(50, Joins.percentile(sorted, 50));
        assertEquals(99, Joins.percentile(sorted, 99));
        assertEquals(7, Joins.percentile(new long[] {7}, 99));
    }
}
