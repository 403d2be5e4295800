package org.joinleaf.tcp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.joinleaf.tcp.session.LimitCounters.PeerEvent;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Issue 11, "logs": new connections each sending an unknown frame type made 132,193 WARNING lines in 12 s. Every
 * line a peer can trigger is now summarised per kind: the first at once, then at most one a second with a count.
 */
public class LogFloodTest extends ProviderFixture {
    private static final int CONNECTIONS = 1000;

    /** Held strongly: java.util.logging keeps loggers weakly. */
    private final Logger tcpLog = Logger.getLogger("org.joinleaf.tcp");
    private final List<LogRecord> lines = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            synchronized (lines) {
                lines.add(r);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @Before
    public void captureLog() {
        tcpLog.addHandler(capture);
    }

    @After
    public void releaseLog() {
        tcpLog.removeHandler(capture);
    }

    @Test // issue 11: 1000 connections each sending an unknown frame type produce a few summary lines, all counted
    public void unknownFrameFloodIsLoggedAsASummary() throws Exception {
        MultipointSocket root = listeningRoot(true, new RecordingUpcalls("root"));
        long start = System.nanoTime();
        for (int i = 0; i < CONNECTIONS; i++) {
            try (RawLeaf raw = new RawLeaf(root.localAddress(), 0)) {
                raw.write(Wire.frame(0x42, new byte[0]));
                assertTrue(raw.closedByPeer());
            }
        }
        RecordingUpcalls waiter = new RecordingUpcalls("counter");
        waiter.until("every violation counted", () ->
                provider.transport().counters().count(PeerEvent.PROTOCOL_VIOLATION) == CONNECTIONS);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        int logged;
        synchronized (lines) {
            logged = lines.size();
        }
        assertTrue(logged + " lines for " + CONNECTIONS + " violations in " + seconds + " s",
                logged >= 1 && logged <= 2 + seconds);
        synchronized (lines) {
            assertTrue(String.valueOf(lines.get(0).getMessage()), lines.stream().allMatch(
                    r -> String.valueOf(r.getParameters()[0]).equals(PeerEvent.PROTOCOL_VIOLATION.name())));
        }
        assertEquals(CONNECTIONS, provider.transport().counters().count(PeerEvent.PROTOCOL_VIOLATION));
    }
}
