package org.joinleaf.multicast;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.Test;

/**
 * Issue 15 item 4: the multicast provider shows operators every drop reason by name (the kernel's among them), its
 * provider-wide receive budget, and its I/O thread once it stopped.
 */
public class ProviderStatusTest {

    @Test
    public void dropsBudgetAndAStoppedIoThread() throws Exception {
        MulticastProvider provider = Loopback.provider();
        try {
            assertEquals(Arrays.stream(DropReason.values()).map(Enum::name).collect(Collectors.toSet()),
                    provider.drops().keySet());
            assertEquals(provider.receiveLimits().totalBytes(),
                    provider.budgets().get("totalReceiveQueueBytes").totalBytes());
            assertEquals(List.of(), provider.stoppedIoThreads());
            provider.loop().stop(2000); // every receive thread
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < provider.loop().size(); i++) {
                expected.add("joinleaf-multicast-io-" + i + " has stopped");
            }
            assertEquals(expected, provider.stoppedIoThreads());
            assertTrue(provider.refusals().isEmpty());
        } finally {
            provider.deactivate();
        }
    }
}
