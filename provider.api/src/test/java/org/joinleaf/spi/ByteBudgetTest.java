package org.joinleaf.spi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** Issue 11, the memory budget: the one byte counter every provider's receive queues are charged to. */
public class ByteBudgetTest {

    @Test
    public void chargesUpToTheTotalAndAFailedChargeTakesNothing() {
        ByteBudget b = new ByteBudget(100);
        assertTrue(b.tryCharge(60));
        assertFalse(b.fits(41));
        assertFalse(b.tryCharge(41));
        assertEquals(60, b.usedBytes());
        assertTrue(b.tryCharge(40));
        assertEquals(100, b.usedBytes());
        b.release(30);
        assertTrue(b.fits(30));
        assertEquals(70, b.usedBytes());
    }

    @Test
    public void concurrentChargesNeverPassTheTotal() throws Exception {
        ByteBudget b = new ByteBudget(1000);
        Thread[] ts = new Thread[4];
        int[] taken = new int[ts.length];
        for (int i = 0; i < ts.length; i++) {
            int k = i;
            ts[i] = new Thread(() -> {
                for (int n = 0; n < 10_000; n++) {
                    if (b.tryCharge(7)) {
                        taken[k]++;
                    }
                }
            });
            ts[i].start();
        }
        int sum = 0;
        for (int i = 0; i < ts.length; i++) {
            ts[i].join(10_000);
            sum += taken[i];
        }
        assertEquals(1000 / 7, sum);
        assertEquals(7L * sum, b.usedBytes());
    }
}
