package org.joinleaf.gateway;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Test;

/**
 * Issue 15 item 3 ("a bad .cfg value is refused while the provider keeps serving"): provider.tcp installed on a
 * gateway, a good value saved, then a value of the wrong type and one below its Metatype minimum saved into
 * {@code conf/org.joinleaf.tcp.cfg}. Each is refused by {@link ConfigGuard} with one line naming PID, key, value and
 * rule; the provider stays in the catalog with the last good value and never fails to activate. A value breaking a
 * rule across fields ({@code heartbeatIntervalMillis} above the heartbeat timeout) is refused the same way, by the
 * provider's own {@code ConfigurationRules}.
 */
public class ConfigGuardIT {
    private static final String TCP_PID = "org.joinleaf.tcp";
    private static final String TCP_COMPONENT = "org.joinleaf.tcp.TcpProvider";

    private GatewayProcess gateway;

    @After
    public void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    public void badTcpValuesAreRefusedWithOneLineAndTheProviderKeepsItsLastGoodConfiguration() throws Exception {
        gateway = GatewayProcess.start();
        gateway.awaitLine(l -> l.contains(ReadyLine.READY), "its ready line");
        Matcher id = Pattern.compile("Bundle ID: (\\d+)").matcher(shellText("install " + tcpJar().toUri()));
        assertTrue("install printed no bundle id", id.find());
        gateway.shell("start " + id.group(1));
        Path cfg = gateway.conf.resolve(TCP_PID + ".cfg");
        save(cfg, "maxConnectData=2048\n");
        awaitTcpProperty("maxConnectData", "2048");

        int from = gateway.lineCount();
        save(cfg, "maxConnectData=4096\neventLoopThreads=two\n");
        String typeLine = gateway.line(gateway.awaitLine(from, l -> l.contains(ConfigGuard.REFUSED + TCP_PID),
                "the refusal of eventLoopThreads=two"));
        assertTrue(typeLine, typeLine.matches(".*WARN.*" + ConfigGuard.REFUSED + TCP_PID
                + ": eventLoopThreads='two' \\(invalid value for an Integer '.*'\\); the previous value stays in force"));
        awaitTcpProperty("maxConnectData", "2048"); // the whole previous configuration, not the half-good new one
        assertKeepsServing(from);

        from = gateway.lineCount();
        save(cfg, "maxConnectData=2048\nslowLeafTimeoutMillis=0\n");
        String rangeLine = gateway.line(gateway.awaitLine(from, l -> l.contains(ConfigGuard.REFUSED + TCP_PID),
                "the refusal of slowLeafTimeoutMillis=0"));
        assertTrue(rangeLine, rangeLine.contains(": slowLeafTimeoutMillis='0' (less than minimum for an Integer"));
        assertKeepsServing(from);

        // A rule across fields (issue 15's typo): not in the Metatype, checked by provider.tcp's own rules
        from = gateway.lineCount();
        save(cfg, "maxConnectData=4096\nheartbeatIntervalMillis=20000\n");
        String crossLine = gateway.line(gateway.awaitLine(from, l -> l.contains(ConfigGuard.REFUSED + TCP_PID),
                "the refusal of heartbeatIntervalMillis=20000"));
        assertTrue(crossLine, crossLine.matches(".*WARN.*" + ConfigGuard.REFUSED + TCP_PID
                + ": heartbeatIntervalMillis='20000' \\(must be below heartbeatTimeoutMillis \\(15000\\)\\); the "
                + "previous value stays in force"));
        awaitTcpProperty("maxConnectData", "2048");
        assertKeepsServing(from);

        // A live setting (issue 15 item 3): applied through @Modified, the provider is not restarted
        from = gateway.lineCount();
        save(cfg, "maxConnectData=2048\nmaxJoinRatePerSource=50\n");
        gateway.awaitLine(from, l -> l.contains("configuration " + TCP_PID + " applied live"), "the live change");
        awaitTcpProperty("maxJoinRatePerSource", "50");
        for (int i = from; i < gateway.lineCount(); i++) {
            assertFalse(gateway.line(i), gateway.line(i).contains("restarting the provider"));
        }
        assertKeepsServing(from);
        String providers = shellText("joinleaf:providers");
        assertFalse("no provider component fails or waits:\n" + providers, providers.contains("not serving:"));
    }

    /** The tcp provider is listed, its component is active or satisfied, and no activation failed since line from. */
    private void assertKeepsServing(int from) throws Exception {
        String providers = awaitProvider("tcp");
        assertTrue(providers, providers.contains("provider 'tcp'"));
        String info = shellText("scr:info " + TCP_COMPONENT);
        assertTrue(info, info.matches("(?s).*State:\\s+(ACTIVE|SATISFIED).*"));
        for (int i = from; i < gateway.lineCount(); i++) {
            String line = gateway.line(i);
            assertFalse("the provider failed: " + line, line.contains("NumberFormatException")
                    || line.contains("FAILED_ACTIVATION") || line.contains("failed to activate"));
        }
    }

    private String awaitProvider(String name) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GatewayProcess.WAIT_SECONDS);
        for (;;) {
            String listing = shellText("joinleaf:providers");
            if (listing.contains("provider '" + name + "'")) {
                return listing;
            }
            if (System.nanoTime() > deadline) {
                fail("provider '" + name + "' not listed:\n" + listing);
            }
            Thread.sleep(500);
        }
    }

    private void awaitTcpProperty(String key, String value) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GatewayProcess.WAIT_SECONDS);
        Pattern configured = Pattern.compile("(?s).*Component Configuration.*\\b" + key + "(<\\w+>)?\\s*=\\s*"
                + value + "\\b.*");
        for (;;) {
            String info = shellText("scr:info " + TCP_COMPONENT);
            if (configured.matcher(info).matches()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail(key + "=" + value + " never in the tcp component's configuration:\n" + info);
            }
            Thread.sleep(500);
        }
    }

    /** provider.tcp as the build put it into the distribution's deploy/ folder. */
    private static Path tcpJar() throws Exception {
        Path deploy = Paths.get(System.getProperty("joinleaf.gateway.dist", "target/gateway")).resolve("deploy");
        try (Stream<Path> jars = Files.list(deploy)) {
            return jars.filter(p -> p.getFileName().toString().startsWith("provider.tcp-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no provider.tcp jar in " + deploy));
        }
    }

    private static void save(Path cfg, String text) throws Exception {
        Files.write(cfg, text.getBytes(StandardCharsets.UTF_8));
    }

    private String shellText(String command) throws Exception {
        List<String> lines = gateway.shell(command);
        return String.join("\n", lines);
    }
}
