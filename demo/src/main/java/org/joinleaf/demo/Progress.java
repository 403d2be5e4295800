package org.joinleaf.demo;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/** What the role threads report to the demo's own thread while a session runs: one latch per milestone. */
final class Progress {
    final CountDownLatch accepted;
    final CountDownLatch connected;
    final CountDownLatch leavesRead;
    final CountDownLatch rootRead;
    final CountDownLatch closed;
    /** FD_CLOSE's error code per socket label, as the role saw it. */
    final Map<String, Integer> closeCodes = new ConcurrentHashMap<>();

    Progress(int leaves) {
        accepted = new CountDownLatch(leaves);
        connected = new CountDownLatch(leaves);
        leavesRead = new CountDownLatch(leaves);
        rootRead = new CountDownLatch(leaves);
        closed = new CountDownLatch(2 * leaves); // each leaf and the root's socket for it
    }
}
