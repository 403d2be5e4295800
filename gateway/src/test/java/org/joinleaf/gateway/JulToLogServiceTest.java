package org.joinleaf.gateway;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import org.junit.Test;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/** One log route (issue 6 item 1): JUL and System.Logger records reach the OSGi Log Service. */
public class JulToLogServiceTest {
    private final List<String> logged = new ArrayList<>();
    private final LoggerFactory factory = Fakes.of(LoggerFactory.class, (p, m, loggerArgs) ->
            Fakes.of(Logger.class, (p2, call, a) -> {
                logged.add(loggerArgs[0] + " " + call.getName() + " " + a[1] + (a[2] == null ? "" : " " + a[2]));
                return null;
            }));

    @Test
    public void recordsKeepTheirLoggerNameLevelParametersAndException() {
        Handler[] before = java.util.logging.Logger.getLogger("").getHandlers();
        JulToLogService bridge = new JulToLogService(factory);
        try {
            java.util.logging.Logger jul = java.util.logging.Logger.getLogger("org.joinleaf.test.jul");
            jul.log(Level.SEVERE, "lost {0}", "leaf-1");
            jul.log(Level.WARNING, "braces {} stay", new IllegalStateException("boom"));
            System.getLogger("org.joinleaf.test.syslog").log(System.Logger.Level.INFO, "joined {0} with {1}", "tcp", 2);
        } finally {
            bridge.deactivate();
        }
        assertEquals(List.of("org.joinleaf.test.jul error lost leaf-1",
                "org.joinleaf.test.jul warn braces {} stay java.lang.IllegalStateException: boom",
                "org.joinleaf.test.syslog info joined tcp with 2"), logged);
        // the JDK's own handlers are back once the bridge is gone
        assertArrayEquals(before, java.util.logging.Logger.getLogger("").getHandlers());
    }
}
