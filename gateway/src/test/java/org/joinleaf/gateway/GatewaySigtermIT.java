package org.joinleaf.gateway;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/**
 * SIGTERM stops the framework cleanly (issue 6 item 1; toolchain trap 7: the bnd launcher alone ignores it). The
 * "stopped" line is printed only after {@code Framework.waitForStop} saw every bundle stopped, so every DS
 * component was deactivated; a timeout would print "did not stop" instead.
 */
public class GatewaySigtermIT {
    /** 128 + SIGTERM: how a JVM that ran its shutdown hooks after SIGTERM exits. */
    private static final int EXIT_AFTER_SIGTERM = 143;

    @Test
    public void sigtermStopsTheFrameworkBeforeTheJvmExits() throws Exception {
        try (GatewayProcess gateway = GatewayProcess.start()) {
            gateway.awaitLine(l -> l.contains(ReadyLine.READY), "its ready line");
            int from = gateway.lineCount();

            int exit = gateway.terminate();

            int stopping = gateway.awaitLine(from, l -> l.contains("joinleaf gateway stopping"), "the stopping line");
            int stopped = gateway.awaitLine(stopping, l -> l.contains("joinleaf gateway stopped in")
                    || l.contains("did not stop"), "the stopped line");
            assertTrue(gateway.line(stopped), gateway.line(stopped).matches(".*joinleaf gateway stopped in \\d+ ms"));
            assertEquals(EXIT_AFTER_SIGTERM, exit);
        }
    }
}
