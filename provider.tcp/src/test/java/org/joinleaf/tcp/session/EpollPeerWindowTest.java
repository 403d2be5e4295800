package org.joinleaf.tcp.session;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/**
 * Decision 45 without a network: how the kernel's figures for a leaf decision 38 would evict are read. The figures
 * are the ones {@code VethEvictionTest} logged: a reader that took nothing (peer window 0, or under one segment,
 * nothing unacknowledged) and flows the 10 Mbit/s link was slowing (windows of 20-135 KB, 16-36 segments in flight).
 */
public class EpollPeerWindowTest {
    private static final long MSS = 1448;

    @Test // decision 45: a shut window with nothing in flight is the reader's doing
    public void aZeroWindowWithNothingInFlightIsClosed() {
        assertEquals(PeerWindow.State.CLOSED, EpollPeerWindow.classify(0, MSS, 0));
        assertEquals("under one segment is shut too (the receiver's silly-window avoidance)", PeerWindow.State.CLOSED,
                EpollPeerWindow.classify(1024, MSS, 0));
    }

    @Test // decision 45: data in flight, or an open window, is the network's doing: the sender is held back
    public void dataInFlightOrAnOpenWindowIsNotTheReader() {
        assertEquals(PeerWindow.State.IN_FLIGHT, EpollPeerWindow.classify(50_176, MSS, 36));
        assertEquals(PeerWindow.State.IN_FLIGHT, EpollPeerWindow.classify(0, MSS, 3)); // the closing window's tail
        assertEquals("open with nothing in flight: a segment a qdisc dropped before it left, not a stalled reader",
                PeerWindow.State.IN_FLIGHT, EpollPeerWindow.classify(135_168, MSS, 0));
    }

    @Test // decision 45: only CLOSED and UNKNOWN (NIO, decision 38 alone) let the eviction go on
    public void onlyDataInFlightHoldsTheEvictionBack() {
        assertTrue(new PeerWindow.Reading(PeerWindow.State.CLOSED, "").mayEvict());
        assertTrue(PeerWindow.Reading.UNKNOWN.mayEvict());
        assertFalse(new PeerWindow.Reading(PeerWindow.State.IN_FLIGHT, "").mayEvict());
    }

    @Test // tcpi_snd_wnd came with Linux 5.4: older kernels are UNKNOWN
    public void theSendWindowIsReadFromLinux54On() {
        assertTrue(EpollPeerWindow.atLeast("6.18.44-fc-v1272", 5, 4));
        assertTrue(EpollPeerWindow.atLeast("5.4.0-150-generic", 5, 4));
        assertFalse(EpollPeerWindow.atLeast("5.3.18", 5, 4));
        assertFalse(EpollPeerWindow.atLeast("4.19.0-27-amd64", 5, 4));
        assertFalse(EpollPeerWindow.atLeast("", 5, 4));
    }
}
