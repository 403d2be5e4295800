package org.joinleaf.local;

import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Issue 15 item 4: the local provider shows its drops, evictions, failures and receive budget to operators. */
public class ProviderStatusTest {

    @Test
    public void countsAndBudgetAreNamed() {
        try (Harness h = new Harness()) {
            LocalProvider p = h.provider;
            assertEquals(Map.of("RECEIVE_QUEUE_FULL", 0L), p.drops());
            assertEquals(Map.of("SLOW_LEAF", 0L), p.refusals());
            assertEquals(Map.of("FAILURE", 0L), p.peerEvents());
            h.network().countDroppedDatagram();
            assertEquals(Map.of("RECEIVE_QUEUE_FULL", 1L), p.drops());
            assertEquals(h.network().settings.receiveLimits().totalBytes(),
                    p.budgets().get("totalReceiveQueueBytes").totalBytes());
            assertEquals(List.of(), p.stoppedIoThreads());
        }
    }
}
