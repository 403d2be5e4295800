package org.joinleaf.bench.multicast;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.Test;

/** Reader shares fit one WSAWaitForMultipleEvents call (at most WSA_MAXIMUM_WAIT_EVENTS = 64 events). */
public class ReaderSharesTest {
    @Test
    public void everyReceiverInExactlyOneShareOfAtMost64() {
        for (int receivers : new int[] {1, 2, 10, 64, 100, 128, 129, 300}) {
            List<Integer> all = IntStream.range(0, receivers).boxed().collect(Collectors.toList());
            List<List<Integer>> shares = ReaderShares.split(all);
            assertEquals(ReaderShares.threads(receivers), shares.size());
            assertEquals(receivers, shares.stream().mapToInt(List::size).sum());
            assertEquals(receivers, shares.stream().flatMap(List::stream).distinct().count());
            assertTrue(shares.stream().allMatch(s -> !s.isEmpty() && s.size() <= 64));
        }
    }

    @Test
    public void twoThreadsUntilSharesWouldExceed64() {
        assertEquals(1, ReaderShares.threads(1));
        assertEquals(2, ReaderShares.threads(100));
        assertEquals(3, ReaderShares.threads(129));
    }
}
