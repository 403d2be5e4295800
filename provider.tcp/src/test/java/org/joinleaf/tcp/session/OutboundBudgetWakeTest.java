package org.joinleaf.tcp.session;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.WsaException;
import org.junit.Test;

/**
 * Decision 50: a send refused by {@code maxQueuedBytes} is waitable, and the refused socket is woken once the cap is
 * down to a low mark at which its frame fits, even when the largest frame is over half the cap (a wake-up that is
 * refused again would make a blocking sender spin). A frame larger than the cap can never pass: final, no wake-up.
 */
public class OutboundBudgetWakeTest {
    private static final int MAX = 4096;
    private static final int LARGEST_FRAME = 4101; // maxMessageSize 4096 + header: over half the cap

    private int woken;
    private final Runnable wake = () -> woken++;

    private static WsaException refused(OutboundBudget budget, long bytes, Runnable wake) {
        try {
            budget.check(bytes, wake);
        } catch (WsaException e) {
            assertEquals(Winsock2.WSAENOBUFS, e.code());
            return e;
        }
        fail("a send of " + bytes + " bytes with " + budget.queued() + " queued must be refused");
        return null;
    }

    @Test
    public void aSendRefusedByTheCapIsWokenWhenItsFrameFits() throws Exception {
        OutboundBudget budget = new OutboundBudget(MAX, LARGEST_FRAME, 1 << 20, new LimitCounters());
        budget.charge(4005); // one frame a stalled leaf holds
        assertTrue(refused(budget, 105, wake).isWaitable());
        budget.credit(2000); // half the cap: a 4005-byte frame would still not fit
        assertEquals("not woken while its frame cannot fit", 0, woken);
        budget.credit(2005);
        assertEquals("woken once", 1, woken);
        budget.check(MAX, wake); // the woken sender's frame goes through, as large as the cap
    }

    @Test
    public void aFrameLargerThanTheCapIsRefusedForGood() {
        OutboundBudget budget = new OutboundBudget(MAX, LARGEST_FRAME, 1 << 20, new LimitCounters());
        assertFalse("nothing to wait for", refused(budget, LARGEST_FRAME, wake).isWaitable());
        budget.charge(1);
        budget.credit(1);
        assertEquals(0, woken);
    }
}
