package org.joinleaf.gateway;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Issue 15 items 4 and 5 as an operator meets them, on one gateway process started by run.sh with the providers of
 * deploy/: remote JMX with authentication as README documents it (stable provider names, typed attributes, the health
 * MXBean), the health check in the shell, no telnet shell, a keystore password that comes from the environment and a
 * secrets file and is printed nowhere, and the log route writing the rotating file from the first line on.
 */
public class ManagementIT {
    private static final String KEYSTORE_PASSWORD = "it-Secret-" + Long.toHexString(System.nanoTime());
    private static final String JMX_USER = "monitor";
    private static final String JMX_PASSWORD = "it-jmx-" + Long.toHexString(System.nanoTime());

    private static GatewayProcess gateway;
    private static Path workDir;
    private static JMXServiceURL jmxUrl;

    @BeforeClass
    public static void boot() throws Exception {
        Path dist = Paths.get(System.getProperty("joinleaf.gateway.dist", "target/gateway")).toAbsolutePath();
        Path script = Paths.get(System.getProperty("joinleaf.gateway.script", "run.sh")).toAbsolutePath();
        workDir = Files.createTempDirectory("joinleaf-management-it");
        Path conf = Files.createDirectories(workDir.resolve("conf"));
        try (var files = Files.list(dist.resolve("conf"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, conf.resolve(f.getFileName()));
            }
        }
        // TLS with a keystore whose password comes from the environment, the truststore's from a secrets file
        Path keystore = workDir.resolve("gateway.p12");
        keytool("-genkeypair", "-alias", "gateway", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", KEYSTORE_PASSWORD, "-keypass", KEYSTORE_PASSWORD);
        Path secrets = Files.createDirectories(workDir.resolve("secrets"));
        Files.writeString(secrets.resolve("tcp-truststore"), KEYSTORE_PASSWORD + "\n");
        append(conf.resolve("org.joinleaf.tcp.cfg"), "tlsMode=TLS", "keyStore=" + keystore,
                ".keyStorePassword=$[env:JOINLEAF_IT_KEYSTORE_PASSWORD]", "trustStore=" + keystore,
                ".trustStorePassword=$[secret:tcp-truststore]");
        append(conf.resolve("org.joinleaf.gateway.log.cfg"), "file=data/log/gateway.log");
        append(conf.resolve("org.joinleaf.health.cfg"), "expectedProviders=default,tcp,multicast,local");
        // remote JMX exactly as README's Management section shows it, on loopback
        Path jmx = Files.createDirectories(workDir.resolve("jmx"));
        Path passwords = jmx.resolve("jmxremote.password");
        Files.writeString(passwords, JMX_USER + " " + JMX_PASSWORD + "\n");
        Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(jmx.resolve("jmxremote.access"), JMX_USER + " readonly\n");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        jmxUrl = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");

        ProcessBuilder pb = new ProcessBuilder(script.toString()).directory(workDir.toFile());
        Map<String, String> env = pb.environment();
        env.put("GATEWAY_CONF", conf.toString());
        env.put("GATEWAY_SHELL", "interactive");
        env.put("GATEWAY_DEPLOY", dist.resolve("deploy").toString());
        env.put("GATEWAY_CDS", "off");
        env.put("GATEWAY_SECRETS", secrets.toString());
        env.put("JOINLEAF_IT_KEYSTORE_PASSWORD", KEYSTORE_PASSWORD);
        env.put("JAVA_EXTRA_OPTS", "-Dcom.sun.management.jmxremote.port=" + port
                + " -Dcom.sun.management.jmxremote.rmi.port=" + port
                + " -Dcom.sun.management.jmxremote.host=127.0.0.1 -Djava.rmi.server.hostname=127.0.0.1"
                + " -Dcom.sun.management.jmxremote.authenticate=true -Dcom.sun.management.jmxremote.ssl=false"
                + " -Dcom.sun.management.jmxremote.password.file=" + passwords
                + " -Dcom.sun.management.jmxremote.access.file=" + jmx.resolve("jmxremote.access"));
        gateway = GatewayProcess.start(pb, workDir);
        gateway.awaitLine(l -> l.contains(ReadyLine.READY) || l.contains("NOT ready"), "its ready line");
        gateway.awaitLine(l -> l.contains("provider 'tcp' (ranking"), "provider tcp joining the catalog");
        gateway.awaitLine(l -> l.contains("provider 'local' (ranking"), "provider local joining the catalog");
    }

    @AfterClass
    public static void stop() throws Exception {
        if (gateway != null) {
            gateway.close(); // deletes workDir
        }
    }

    // issue 15 item 4: the health check in the shell passes every check with every expected provider there, and a
    // failure it covers (an expected provider missing) turns it CRITICAL, naming what is missing
    @Test
    public void healthInTheShellPassesAndReportsAMissingProvider() throws Exception {
        String health = String.join("\n", gateway.shell("joinleaf:health"));
        assertTrue(health, health.matches("(?s)(g! )?OK\\n.*"));
        for (String check : new String[] {"framework", "components", "providers", "io-threads", "memory"}) {
            assertTrue(health, health.matches("(?s).*\\n\\s+" + check + "\\s+OK .*"));
        }
        Path cfg = gateway.conf.resolve("org.joinleaf.health.cfg");
        String before = Files.readString(cfg);
        Files.writeString(cfg, before + "expectedProviders=default,tcp,absent\n");
        try {
            String failing = awaitShell("joinleaf:health", s -> s.contains("CRITICAL"));
            assertTrue(failing, failing.matches("(?s).*providers\\s+FAIL missing \\[absent].*"));
        } finally {
            Files.writeString(cfg, before);
        }
        awaitShell("joinleaf:health", s -> s.matches("(?s)(g! )?OK\\n.*"));
    }

    // issue 15 item 4: remote JMX with authentication (README); stable provider names with typed attributes; the
    // health check as an MXBean
    @Test
    public void remoteJmxWithAuthenticationShowsProvidersByNameAndHealth() throws Exception {
        try (JMXConnector c = JMXConnectorFactory.connect(jmxUrl,
                Map.of(JMXConnector.CREDENTIALS, new String[] {JMX_USER, JMX_PASSWORD}))) {
            MBeanServerConnection server = c.getMBeanServerConnection();
            ObjectName tcp = new ObjectName("org.joinleaf:type=Provider,name=tcp");
            assertEquals(Boolean.TRUE, server.getAttribute(tcp, "Present"));
            assertEquals(1, server.getAttribute(tcp, "Starts"));
            CompositeData[] refusals = (CompositeData[]) server.getAttribute(tcp, "Refusals");
            assertTrue("every tcp limit is listed", List.of(refusals).stream()
                    .anyMatch(d -> "JOIN_RATE".equals(d.get("name")) && d.get("count") instanceof Long));
            CompositeData[] budgets = (CompositeData[]) server.getAttribute(tcp, "Budgets");
            assertTrue(List.of(budgets).stream().anyMatch(d -> "maxQueuedBytes".equals(d.get("name"))
                    && (Long) d.get("totalBytes") > 0));
            CompositeData[] drops = (CompositeData[]) server.getAttribute(
                    new ObjectName("org.joinleaf:type=Provider,name=multicast"), "Drops");
            assertTrue(List.of(drops).stream().anyMatch(d -> "SOCKET_QUEUE_FULL".equals(d.get("name"))));
            assertTrue("no service.id in any name", server.queryNames(new ObjectName("org.joinleaf:*"), null)
                    .stream().noneMatch(n -> n.getKeyProperty("serviceId") != null));
            awaitJmx(server, "OK");
        }
    }

    // issue 15 item 4: remote JMX refuses a connection without or with wrong credentials
    @Test
    public void remoteJmxRefusesWithoutTheRightCredentials() throws Exception {
        for (Map<String, ?> env : List.of(Map.<String, Object>of(),
                Map.of(JMXConnector.CREDENTIALS, new String[] {JMX_USER, "wrong"}))) {
            try (JMXConnector c = JMXConnectorFactory.connect(jmxUrl, env)) {
                fail("connected with " + env.keySet());
            } catch (SecurityException expected) {
                // authentication failed
            }
        }
    }

    // issue 15 item 4: no unauthenticated remote shell: gogo:telnetd cannot run (help, which reads the registry as
    // the system bundle, still names it; no hook may hide a service from the system bundle)
    @Test
    public void noTelnetShell() throws Exception {
        String help = String.join("\n", gateway.shell("help"));
        assertTrue(help, help.contains("joinleaf:health"));
        for (String command : new String[] {"gogo:telnetd -p=0 start", "telnetd -p=0 start"}) {
            String telnet = String.join("\n", gateway.shell(command));
            assertTrue(telnet, telnet.contains("Command not found"));
        }
    }

    // issue 15 item 4: the keystore passwords come from the environment and a secrets file (TLS works, so the tcp
    // provider is up), and neither scr:info, the console nor the log file shows them
    @Test
    public void secretsResolveAndArePrintedNowhere() throws Exception {
        String info = String.join("\n", gateway.shell("scr:info org.joinleaf.tcp.TcpProvider"));
        assertTrue(info, info.contains("State: ACTIVE") || info.contains("State:ACTIVE")
                || info.matches("(?s).*State\\s*:?\\s*ACTIVE.*"));
        assertTrue(info, info.contains("$[env:JOINLEAF_IT_KEYSTORE_PASSWORD]"));
        assertFalse("scr:info shows the password", info.contains(KEYSTORE_PASSWORD));
        StringBuilder console = new StringBuilder();
        for (int i = 0; i < gateway.lineCount(); i++) {
            console.append(gateway.line(i)).append('\n');
        }
        assertFalse("the console shows the password", console.toString().contains(KEYSTORE_PASSWORD));
        assertFalse("the log file shows the password", logFile().contains(KEYSTORE_PASSWORD));
    }

    // issue 15 item 5: one route from the first line on: FileInstall's lines and the providers' go to the log file
    @Test
    public void theLogFileHasFileInstallsLinesAndTheRest() throws Exception {
        String log = logFile();
        assertTrue(log, log.contains("[org.apache.felix.fileinstall] Creating configuration {org.joinleaf.tcp}"));
        assertTrue(log, log.contains("[org.apache.felix.fileinstall] Installing bundle org.joinleaf.provider.tcp"));
        assertTrue(log, log.contains("[org.joinleaf.runtime.ProviderCatalog] joinleaf: provider 'tcp'"));
        String firstLine = log.lines().findFirst().orElse("");
        assertTrue("the file starts with FileInstall, nothing before the route: " + firstLine,
                firstLine.contains("[org.apache.felix.fileinstall] Creating configuration"));
        for (int i = 0; i < gateway.lineCount(); i++) {
            String line = gateway.line(i).replaceFirst("^(g! )+", "");
            assertFalse("a line bypassed the route: " + line, line.matches("^\\S+ \\S+ (INFO|WARNING|SEVERE): .*")
                    || line.startsWith("INFO: ") || line.contains("] Creating configuration") && !log.contains(line));
        }
    }

    private static String logFile() throws Exception {
        return Files.readString(workDir.resolve("data/log/gateway.log"), StandardCharsets.UTF_8);
    }

    /** Runs {@code command} until its output matches (bounded by the rig's wait); returns the last output. */
    private static String awaitShell(String command, java.util.function.Predicate<String> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GatewayProcess.WAIT_SECONDS);
        String out;
        do {
            out = String.join("\n", gateway.shell(command));
            if (done.test(out)) {
                return out;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        fail(command + " never matched; last output:\n" + out);
        return out;
    }

    private static void awaitJmx(MBeanServerConnection server, String status) throws Exception {
        ObjectName health = new ObjectName("org.joinleaf:type=Health");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GatewayProcess.WAIT_SECONDS);
        Object now;
        do {
            now = server.getAttribute(health, "Status");
            if (status.equals(now)) {
                CompositeData[] checks = (CompositeData[]) server.getAttribute(health, "Checks");
                assertEquals(5, checks.length);
                return;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        fail("Health Status stayed " + now + ": " + List.of((String[]) server.getAttribute(health, "Problems")));
    }

    private static void append(Path cfg, String... lines) throws Exception {
        Files.writeString(cfg, "\n" + String.join("\n", lines) + "\n", StandardOpenOption.APPEND);
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("keytool did not finish", p.waitFor(GatewayProcess.WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(out, 0, p.exitValue());
    }
}
