package org.joinleaf.bench.tcp;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/**
 * Scorecard 8's figures come from the peer JVM's timelines, one line per peer: what the child prints must be what
 * the root's side reads back, nanoTime values beyond int range and "never" (0) included.
 */
public class SlowHandshakesPeerTest {
    @Test // scorecard 8 measurement: the peer JVM's timeline reaches the benchmark intact
    public void aTimelineSurvivesTheChildProtocol() {
        SlowHandshakes.Peer sent = new SlowHandshakes.Peer(54321, 9_876_543_210_123L, 9_876_543_310_000L, 0);
        assertEquals(sent, SlowHandshakes.Peer.parse(sent.toLine()));
    }
}
