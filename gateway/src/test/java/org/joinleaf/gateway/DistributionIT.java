package org.joinleaf.gateway;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Test;

/**
 * Issue 15 item 1, as an operator meets it: the archive ({@code target/joinleaf-gateway-<version>.tar.gz}) unpacked
 * to a temporary folder and started by its own {@code run.sh} with its defaults (kept {@code data/}, providers from
 * {@code deploy/}), then stopped and started again on the same folder.
 */
public class DistributionIT {
    private static final Pattern PROVIDER = Pattern.compile("^(?:g! )?provider '([^']+)'.*");
    private static final Pattern BUNDLE = Pattern.compile("^(?:g! )?\\s*(\\d+)\\|\\w+\\s*\\|\\s*\\d+\\|(.+)\\|[^|]*$");
    /** Catalog names once deploy/ is loaded: tcp gains its "+qos" entries because provider.qos is there too. */
    private static final Set<String> FROM_DEPLOY = Set.of("default", "tcp", "tcp+qos", "multicast");
    private static final String TCP_COMPONENT = "org.joinleaf.tcp.TcpProvider";

    private Path unpacked;
    private GatewayProcess gateway;

    @After
    public void cleanUp() throws Exception {
        if (gateway != null) {
            gateway.close(); // deletes the unpacked distribution
        }
        if (unpacked != null) {
            deleteTree(unpacked);
        }
    }

    // issue 15 item 1: the archive holds the gateway, every provider bundle in deploy/, conf/, run.sh, the systemd
    // unit with a hardened [Service] section and a README, and nothing a run leaves behind
    @Test
    public void archiveHoldsGatewayProvidersConfScriptUnitAndReadme() throws Exception {
        Path root = unpack();
        assertTrue(Files.isRegularFile(root.resolve("gateway.jar")));
        assertTrue("run.sh must be executable", Files.isExecutable(root.resolve("run.sh")));
        assertTrue(Files.isRegularFile(root.resolve("README.md")));
        assertTrue(Files.isRegularFile(root.resolve("conf/org.joinleaf.tcp.cfg")));
        try (Stream<Path> jars = Files.list(root.resolve("deploy"))) {
            Set<String> modules = jars.map(p -> p.getFileName().toString().replaceFirst("-\\d.*\\.jar$", ""))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(Set.of("provider.local", "provider.multicast", "provider.qos", "provider.tcp"), modules);
        }
        String unit = Files.readString(root.resolve("joinleaf-gateway.service"));
        for (String hardening : new String[] {"NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes",
                "PrivateTmp=yes", "ReadWritePaths=/opt/joinleaf-gateway/data",
                "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK", "MemoryMax=", "User=joinleaf",
                "CapabilityBoundingSet=\n", "Environment=GATEWAY_SHELL=quiet"}) {
            assertTrue("unit lacks " + hardening.trim(), unit.contains(hardening));
        }
        for (String leftover : new String[] {"data", "tmp", "gateway.jsa"}) {
            assertFalse(leftover + " is in the archive", Files.exists(root.resolve(leftover)));
        }
        assertSystemdAcceptsTheUnit(root, unit);
    }

    /** Where systemd-analyze exists, {@code verify} of the unit (paths pointed at the unpacked copy) prints nothing. */
    private static void assertSystemdAcceptsTheUnit(Path root, String unit) throws IOException, InterruptedException {
        Process which = new ProcessBuilder("sh", "-c", "command -v systemd-analyze").start();
        if (!which.waitFor(GatewayProcess.WAIT_SECONDS, TimeUnit.SECONDS) || which.exitValue() != 0) {
            System.out.println("systemd-analyze not found: the unit's syntax is not verified here");
            return;
        }
        Path copy = Files.createDirectories(root.resolve("aside")).resolve("joinleaf-gateway.service");
        Files.writeString(copy, unit.replace("/opt/joinleaf-gateway", root.toString()));
        Process verify = new ProcessBuilder("systemd-analyze", "verify", copy.toString()).redirectErrorStream(true)
                .start();
        String out = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("systemd-analyze verify did not finish", verify.waitFor(GatewayProcess.WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals("systemd-analyze verify: " + out, "", out.trim());
        assertEquals("systemd-analyze verify exit status", 0, verify.exitValue());
    }

    // issue 15 item 1 ("done when"): what deploy/ brings, a bundle installed from the shell, a pin (Config Admin)
    // and a changed .cfg value are all there again after a restart, with the same bundle ids (the framework
    // storage was kept, not rebuilt); a second gateway on the same data/ is refused
    @Test
    public void restartKeepsProvidersShellInstalledBundlesPinsAndConfiguration() throws Exception {
        Path root = unpack();
        Path local = moveOutOfDeploy(root, "provider.local");

        gateway = start(root);
        awaitProviders(FROM_DEPLOY);
        // issue 14 item 6 (decision 40): the provider names its transport; AUTO by default, epoll as the gateway ships it
        gateway.awaitLine(l -> l.contains("TCP multipoint provider started on EPOLL (transport=AUTO)"),
                "the TCP provider's line naming its transport");
        Matcher installed = Pattern.compile("Bundle ID: (\\d+)").matcher(shellText("install " + local.toUri()));
        assertTrue("install printed no bundle id", installed.find());
        gateway.shell("start " + installed.group(1));
        awaitProviders(Set.of("local"));
        assertTrue(shellText("joinleaf:pin local").contains("pinned 'local' for new sockets"));
        Files.write(root.resolve("conf/org.joinleaf.tcp.cfg"), "maxConnectData=2048\n".getBytes(StandardCharsets.UTF_8));
        awaitTcpConfiguration("maxConnectData", "2048");
        Map<String, String> bundles = joinleafBundleIds();
        assertTrue("a second gateway on the same data/ must be refused", secondGatewayIsRefused(root));
        assertEquals(143, gateway.terminate());
        assertTrue("no class-data archive in data/", Files.isRegularFile(root.resolve("data/gateway.jsa")));

        gateway = start(root);
        String providers = awaitProviders(Set.of("default", "tcp", "tcp+qos", "multicast", "local"));
        assertTrue(providers, providers.matches("(?s).*provider 'local'  ranking -?\\d+  service.id \\d+  PINNED.*"));
        awaitTcpConfiguration("maxConnectData", "2048");
        assertEquals("bundles were reinstalled instead of kept", bundles, joinleafBundleIds());
    }

    private Path unpack() throws IOException, InterruptedException {
        Path archive = Paths.get(System.getProperty("joinleaf.gateway.archive", "target/joinleaf-gateway.tar.gz"));
        assertTrue("archive missing: " + archive, Files.isRegularFile(archive));
        unpacked = Files.createTempDirectory("joinleaf-distribution-it");
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", unpacked.toString())
                .inheritIO().start();
        assertTrue("tar did not finish", tar.waitFor(GatewayProcess.WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals("tar exit status", 0, tar.exitValue());
        String folder = archive.getFileName().toString().replaceFirst("\\.tar\\.gz$", "");
        return unpacked.resolve(folder);
    }

    private static Path moveOutOfDeploy(Path root, String module) throws IOException {
        try (Stream<Path> jars = Files.list(root.resolve("deploy"))) {
            Path jar = jars.filter(p -> p.getFileName().toString().startsWith(module + "-")).findFirst()
                    .orElseThrow(() -> new AssertionError(module + " not in deploy/"));
            Path aside = Files.createDirectories(root.resolve("aside"));
            return Files.move(jar, aside.resolve(jar.getFileName()));
        }
    }

    /** The distribution's run.sh with its defaults, the shell on our pipe. */
    private static GatewayProcess start(Path root) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(root.resolve("run.sh").toString()).directory(root.toFile());
        pb.environment().put("GATEWAY_SHELL", "interactive");
        GatewayProcess process = GatewayProcess.start(pb, root);
        String ready = process.line(process.awaitLine(
                l -> l.contains(ReadyLine.READY) || l.contains("NOT ready"), "its ready line"));
        assertFalse(ready, ready.contains("NOT ready"));
        return process;
    }

    private boolean secondGatewayIsRefused(Path root) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(root.resolve("run.sh").toString()).directory(root.toFile())
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process second = pb.start();
        boolean ended = second.waitFor(GatewayProcess.WAIT_SECONDS, TimeUnit.SECONDS);
        String out = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!ended) {
            second.destroyForcibly().waitFor(GatewayProcess.WAIT_SECONDS, TimeUnit.SECONDS);
            fail("the second gateway kept running: " + out);
        }
        return second.exitValue() == 1 && out.contains("another gateway is running on");
    }

    /** Polls joinleaf:providers (bounded) until every name in {@code expected} is listed; returns the listing. */
    private String awaitProviders(Set<String> expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GatewayProcess.WAIT_SECONDS);
        for (;;) {
            String listing = shellText("joinleaf:providers");
            Set<String> names = new TreeSet<>();
            for (String line : listing.split("\n")) {
                Matcher m = PROVIDER.matcher(line);
                if (m.matches()) {
                    names.add(m.group(1));
                }
            }
            if (names.containsAll(expected)) {
                return listing;
            }
            if (System.nanoTime() > deadline) {
                fail("providers " + expected + " never all listed; last listing:\n" + listing);
            }
            Thread.sleep(500);
        }
    }

    /** Polls scr:info of the tcp provider (bounded) until its configuration shows {@code key} = {@code value}. */
    private void awaitTcpConfiguration(String key, String value) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GatewayProcess.WAIT_SECONDS);
        Pattern property = Pattern.compile("(?s).*\\b" + key + "(<\\w+>)?\\s*=\\s*" + value + "\\b.*");
        for (;;) {
            String info = shellText("scr:info " + TCP_COMPONENT);
            if (property.matcher(info).matches()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail(key + "=" + value + " never in the tcp provider's configuration; last scr:info:\n" + info);
            }
            Thread.sleep(500);
        }
    }

    /** Bundle id by name of every joinleaf bundle, from lb. */
    private Map<String, String> joinleafBundleIds() throws Exception {
        Map<String, String> ids = new TreeMap<>();
        for (String line : gateway.shell("lb")) {
            Matcher m = BUNDLE.matcher(line);
            if (m.matches() && m.group(2).contains("joinleaf")) {
                ids.put(m.group(2).trim(), m.group(1));
            }
        }
        assertTrue("lb listed no joinleaf bundle", ids.size() >= 6);
        return ids;
    }

    private String shellText(String command) throws Exception {
        List<String> lines = gateway.shell(command);
        return String.join("\n", lines);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }
}
