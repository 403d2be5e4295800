package org.joinleaf.runtime.defaultprovider;

import static org.junit.Assert.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.joinleaf.spi.DatagramBudget;
import org.junit.Test;

/**
 * Issue 15 item 4: the default provider shows operators every datagram drop reason by name, its provider-wide
 * receive budget, and its I/O thread once it stopped.
 */
public class ProviderStatusTest {

    @Test
    public void dropsBudgetAndAStoppedIoThread() throws Exception {
        DefaultProvider p = StartedDefaultProvider.start();
        try {
            assertEquals(Arrays.stream(DropReason.values()).map(Enum::name).collect(Collectors.toSet()),
                    p.drops().keySet());
            p.resources().budget().countDrop(DropReason.SOCKET_FULL);
            assertEquals(Long.valueOf(1), p.drops().get("SOCKET_FULL"));
            assertEquals(p.resources().budget().totalBytes(), p.budgets().get("totalReceiveBytes").totalBytes());
            assertEquals(List.of(), p.stoppedIoThreads());
            p.resources().loop().shutdown(2000);
            assertEquals(List.of(IoLoop.THREAD_NAME + " has stopped"), p.stoppedIoThreads());
        } finally {
            StartedDefaultProvider.stop(p);
        }
    }
}
