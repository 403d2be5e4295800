package org.joinleaf.gateway.hostile;

import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.joinleaf.gateway.GatewayProcess;
import org.joinleaf.gateway.hostile.target.TargetActivator;
import org.joinleaf.tcp.TestPki;

/**
 * The gateway of the hostile-peer suite (issue 11 item 7): the distribution started by run.sh with its own flags,
 * provider.qos and provider.tcp installed from the shell, the suite's root application installed as a bundle. Each
 * case {@link #open opens} its own application in it (a root, three legitimate leaves streaming and a legitimate join
 * every 200 ms), {@link #run runs} the attack and recovery, and {@link #closeCase closes} the application again; the
 * process serves the next case only when it is back at its idle state (threads, fds, heap, direct memory, as after
 * its first case), so cases share its start-up cost but never its leftovers. A probe every {@link #PROBE_MILLIS} ms
 * through the shell measures the gateway and proves the shell answers.
 */
final class HostileRig implements AutoCloseable {
    static final int PROBE_MILLIS = 250;
    /** A shell command every 2 s proves the shell answers (the gateway's GogoJobReaper keeps it from piling up). */
    static final int SHELL_MILLIS = 2000;
    /** A probe the shell does not answer within this long counts as "the shell does not answer". */
    static final int PROBE_TIMEOUT_MILLIS = 5000;
    static final int RECOVERY_MILLIS = 5000;
    /** Between two probes of "back to its state yet?" and of the shell's readiness: a wait, never a fixed delay. */
    static final int POLL_MILLIS = 100;
    /** Slack of "back to baseline": a few transient probe connections, a collection's noise. */
    static final int FD_SLACK = 8;
    static final int THREAD_SLACK = 2;
    static final long MEMORY_SLACK = 2L << 20;
    static final int LEGIT_LEAVES = 3;
    /**
     * Gateway lines echoed per case: the boot and the first failures. A long run floods stdout otherwise (failsafe's
     * channel to Maven broke after about 11,000 lines of a 60 s run); the counts and the report carry the rest.
     */
    private static final int ECHOED_LINES = 300;
    /** SIGTERM's grace at the end of a case; a gateway that ran out of memory may never finish its shutdown hook. */
    private static final int TERM_SECONDS = 10;

    /** How the root application behaves. */
    record Root(String entry, String reads, boolean lobby, int nofile, String group, boolean mutualTls) {
        static Root standard() {
            return new Root("rooted", "all", false, 0, null, false);
        }

        Root reads(String r) {
            return new Root(entry, r, lobby, nofile, group, mutualTls);
        }

        Root relayed() {
            return new Root("relayed", reads, lobby, nofile, group, mutualTls);
        }

        /** Also a second c_root that never accepts. */
        Root withLobby() {
            return new Root(entry, reads, true, nofile, group, mutualTls);
        }

        /** Under a descriptor limit. */
        Root nofile(int n) {
            return new Root(entry, reads, lobby, n, group, mutualTls);
        }

        /** Also provider.multicast installed and a member of {@code address} reading everything. */
        Root withGroup(String address) {
            return new Root(entry, reads, lobby, nofile, address, mutualTls);
        }

        /**
         * provider.tcp with MUTUAL_TLS, and the root's WSAAccept judged by the gateway's admission policy (its
         * shipped configuration: a verified certificate required) instead of accepting everyone; the legitimate peers
         * join with a certificate the gateway trusts.
         */
        Root withMutualTls() {
            return new Root(entry, reads, lobby, nofile, group, true);
        }
    }

    /** The root streams a 64-byte message every 10 ms: 100 messages/s to each leaf. */
    static final int INTERVAL_MILLIS = 10;
    static final int PAYLOAD = 64;

    /** Root messages every legitimate leaf has received before a case's baseline: the stream is flowing. */
    private static final int SETTLED_MESSAGES = 10;

    final GatewayProcess gateway;
    /** What the process was started with: a case with another descriptor limit or TLS mode needs its own. */
    private final int nofile;
    private final boolean mutualTls;
    private boolean multicast;
    Attack.Target target;
    private final List<LegitLeaf> leaves = new ArrayList<>();
    private JoinProber prober;
    private Thread sampler;
    private volatile boolean sampling;
    /** The sampler waits on it between rounds, so stopping it takes no leftover round. */
    private final Object samplingLock = new Object();
    private final List<Sample> samples = new ArrayList<>();
    private final List<String> shellProblems = new ArrayList<>();
    private int shellProbes;
    /**
     * The process without a case's application after it has served one (Netty's event loops and pools are created by
     * the first traffic, and stay): every later case must leave it there. Null until the first case closed, and again
     * after provider.multicast joined (its threads stay too).
     */
    private Sample idle;
    /** The running case's baseline (its application open, before the attack). */
    private Sample caseBaseline;
    private TestPki pki;
    /** The legitimate peers' TLS with their certificate when this process runs MUTUAL_TLS, else null. */
    private SSLSocketFactory leafTls;

    private HostileRig(Root root) throws Exception {
        nofile = root.nofile();
        mutualTls = root.mutualTls();
        // keytool takes seconds a run: the MUTUAL_TLS keys are made while the gateway boots, not after
        FutureTask<TestPki> keys = mutualTls ? new FutureTask<>(() -> TestPki.create("root", "leaf")) : null;
        if (keys != null) {
            new Thread(keys, "hostile-pki").start();
        }
        GatewayProcess started = GatewayProcess.start(root.nofile());
        try {
            pki = keys == null ? null : keys.get();
        } catch (ExecutionException | InterruptedException e) {
            started.close(TERM_SECONDS);
            throw e;
        }
        gateway = started;
        gateway.echo(ECHOED_LINES);
        try {
            setUp(root);
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /** Whether {@code root} can run in this process (same descriptor limit and TLS mode). */
    boolean fits(Root root) {
        return root.nofile() == nofile && root.mutualTls() == mutualTls;
    }

    private void setUp(Root root) throws Exception {
        gateway.awaitLine(l -> l.contains("joinleaf gateway ready in") || l.contains("NOT ready"), "its ready line");
        if (root.mutualTls()) {
            Files.writeString(gateway.conf().resolve("org.joinleaf.tcp.cfg"), "tlsMode=MUTUAL_TLS\nkeyStore="
                    + pki.keyStore("root") + "\n.keyStorePassword=" + TestPki.PASSWORD + "\ntrustStore="
                    + pki.trustStore("leaf") + "\n.trustStorePassword=" + TestPki.PASSWORD + "\n");
            leafTls = clientTls(pki);
        }
        long qos = install(bundleJar("org.joinleaf.qos.admission.AdmissionControl", "provider.qos"));
        long tcp = install(bundleJar("org.joinleaf.tcp.protocol.FrameCodec", "provider.tcp"));
        shell("start " + qos);
        if (root.mutualTls()) {
            // provider.tcp starts with MUTUAL_TLS at once instead of starting plain and restarting (FileInstall polls)
            gateway.awaitLine(l -> l.contains("Updating configuration {org.joinleaf.tcp}"), "the MUTUAL_TLS update");
        }
        shell("start " + tcp);
        awaitCatalog(false);
        Path target = targetBundle();
        shell("start " + install("file:" + target));
        if (root.mutualTls()) {
            awaitTls();
            awaitCatalog(false); // were the provider to restart for MUTUAL_TLS, its entries come back after it
        }
    }

    /**
     * Opens one case's application: provider.multicast first when the case needs it (it stays installed), then the
     * root, the lobby and group it asks for, the legitimate leaves and the join prober.
     */
    void open(Root root) throws Exception {
        assertTrue("a case for another process: " + root, fits(root));
        RawPeer.tls = leafTls; // the suite's processes of other kinds may stay up: this case's TLS mode, not theirs
        if (root.group() != null && !multicast) {
            shell("start " + install(bundleJar("org.joinleaf.multicast.MulticastProvider", "provider.multicast")));
            awaitCatalog(true);
            multicast = true;
            idle = null;
        }
        samples.clear();
        shellProblems.clear();
        shellProbes = 0;
        caseBaseline = null;
        int port = port(shell("hostile:root " + root.entry() + " " + root.reads() + " " + INTERVAL_MILLIS + " "
                + PAYLOAD + " " + (root.mutualTls() ? "policy" : "everyone")), "root listening");
        int lobbyPort = root.lobby() ? port(shell("hostile:lobby"), "lobby listening") : -1;
        int groupPort = -1;
        if (root.group() != null) {
            try (DatagramSocket free = new DatagramSocket(0)) {
                groupPort = free.getLocalPort();
            }
            port(shell("hostile:group " + root.group() + " " + groupPort), "group joined");
        }
        this.target = new Attack.Target(port, lobbyPort, groupPort);
        if (root.mutualTls()) {
            warmUpTls(port);
        }
        for (int i = 0; i < LEGIT_LEAVES; i++) {
            leaves.add(new LegitLeaf("127.0.0." + (11 + i), port));
        }
        prober = new JoinProber(port);
    }

    /** The legitimate peers' side of MUTUAL_TLS: the leaf's certificate, trusting the root's. */
    private static SSLSocketFactory clientTls(TestPki pki) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pki.keyStore("leaf"))) {
            keys.load(in, TestPki.PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, TestPki.PASSWORD.toCharArray());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pki.trustStore("root"))) {
            trust.load(in, TestPki.PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return c.getSocketFactory();
    }

    /**
     * The first TLS handshakes of a fresh gateway JVM (TLS classes loaded, interpreted crypto) can outlast the 1 s
     * opening deadline on a loaded machine: a few joins first, as a client would retry, so the case measures the
     * attack, not the warm-up. Bounded: at most {@value #TLS_WARM_UPS} tries.
     */
    private static void warmUpTls(int port) throws InterruptedException {
        for (int i = 0; i < TLS_WARM_UPS; i++) {
            try (RawPeer p = RawPeer.join("127.0.0.10", port, org.joinleaf.api.Winsock2.JL_BOTH, 5000)) {
                p.write(Wire.leave(0));
                return;
            } catch (IOException e) {
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
    }

    private static final int TLS_WARM_UPS = 10;

    /** Until provider.tcp runs with the MUTUAL_TLS configuration FileInstall hands it (it re-activates). */
    private void awaitTls() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GatewayProcess.WAIT_SECONDS);
        for (String t; !(t = String.join("\n", shell("hostile:tls"))).contains("tls MUTUAL_TLS");) {
            assertTrue("provider.tcp never ran with MUTUAL_TLS: " + t, System.nanoTime() < deadline);
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
    }

    /** Starts a gateway process for cases like {@code root}; each case then {@link #open opens} its application. */
    static HostileRig start(Root root) throws Exception {
        return new HostileRig(root);
    }

    /**
     * Ends the case's application (leaves, prober, root, lobby, group) and waits, bounded by
     * {@link #RECOVERY_MILLIS}, until the process is back at its {@link #idle} state (the first time: at most at the
     * case's baseline, and that becomes the idle state), with the recovery criterion's slack; false when it is not
     * (or no longer answers): then it serves no further case.
     */
    boolean closeCase() throws Exception {
        closeApplication();
        Sample reference = idle != null ? idle : caseBaseline;
        if (!gateway.isAlive() || reference == null
                || gateway.shell("hostile:close", PROBE_TIMEOUT_MILLIS) == null) {
            return false;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RECOVERY_MILLIS);
        Sample s;
        do {
            s = probe("hostile:probe gc");
            if (s != null && near(s, reference)) {
                if (idle == null) {
                    idle = s;
                }
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        } while (System.nanoTime() < deadline && gateway.isAlive());
        System.out.println("[hostile] the gateway is not back at its idle state, the next case gets a fresh one: "
                + reference + " -> " + s);
        return false;
    }

    private void closeApplication() throws InterruptedException {
        stopSampling();
        sampler = null;
        if (prober != null) {
            prober.close();
            prober = null;
        }
        for (LegitLeaf l : leaves) {
            l.close();
        }
        leaves.clear();
        RawPeer.tls = null;
    }

    /** Whether {@code s} is back at {@code base}: threads, fds, heap and direct memory within the slack. */
    static boolean near(Sample s, Sample base) {
        return s.threads() <= base.threads() + THREAD_SLACK && s.fds() <= base.fds() + FD_SLACK
                && s.heapAfterGc() <= base.heapAfterGc() + MEMORY_SLACK
                && s.directPool() <= base.directPool() + MEMORY_SLACK
                && s.directNetty() <= base.directNetty() + MEMORY_SLACK;
    }

    /**
     * Waits (bounded) until the legitimate traffic runs: every leaf has received {@link #SETTLED_MESSAGES} of the
     * root's messages and the prober has finished a join. The criteria judge what happens if it never does.
     */
    private void awaitSettled() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GatewayProcess.WAIT_SECONDS);
        while (System.nanoTime() < deadline && (prober.count() == 0
                || leaves.stream().anyMatch(l -> l.ended() == null && l.rootMessages() < SETTLED_MESSAGES))) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /** Runs the attack for {@code seconds} and measures; never throws for what the gateway does. */
    CaseResult run(Attack attack, int seconds, boolean byRate) throws Exception {
        awaitSettled();
        Sample baseline = probe("hostile:probe gc");
        assertNotNull("no baseline probe: " + shellProblems, baseline);
        caseBaseline = baseline;
        String statsBefore = stats();
        long[] before = leaves.stream().mapToLong(LegitLeaf::rootMessages).toArray();
        long sentBefore = CaseResult.sent(statsBefore);
        prober.reset();
        int linesBefore = gateway.lineCount();
        gateway.shell("hostile:monitor " + PROBE_MILLIS, PROBE_TIMEOUT_MILLIS);
        sampling = true;
        sampler = new Thread(this::sample, "hostile-probe");
        sampler.setDaemon(true);
        sampler.start();
        long start = System.nanoTime();
        attack.start(target);
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        for (long left; (left = end - System.nanoTime()) > 0 && gateway.isAlive();) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
        }
        long[] after = leaves.stream().mapToLong(LegitLeaf::rootMessages).toArray();
        String statsAttack = gateway.isAlive() ? stats() : "stats gateway exited";
        attack.stop();
        int logLines = logLines(linesBefore, gateway.lineCount());
        stopSampling();
        if (gateway.isAlive()) {
            gateway.shell("hostile:monitor 0", PROBE_TIMEOUT_MILLIS);
        }
        long joinsP99 = prober.p99();
        String joins = prober.count() + " joins, " + prober.failed() + " failed " + prober.failures();

        CaseResult r = new CaseResult(attack.name, seconds, baseline);
        r.byRate = byRate;
        r.samples.addAll(samples);
        r.shellProblems.addAll(shellProblems);
        r.shellProbes = shellProbes;
        r.recovery = recover(baseline, r);
        prober.close();
        String statsEnd = gateway.isAlive() ? stats() : "stats gateway exited";
        long sentEnd = CaseResult.sent(statsEnd);
        awaitLeaves(sentEnd);
        List<CaseResult.Leaf> judged = new ArrayList<>();
        for (int i = 0; i < leaves.size(); i++) {
            LegitLeaf l = leaves.get(i);
            judged.add(new CaseResult.Leaf(l.source, l.ended(), l.disorder(), l.lastSeq(), after[i] - before[i]));
        }
        long sentAttack = CaseResult.sent(statsAttack);
        r.leaves(judged, sentAttack < 0 ? -1 : sentAttack - sentBefore, sentEnd);
        r.joinsP99 = joinsP99;
        r.joins = joins;
        r.logLines = logLines;
        r.alive = gateway.isAlive();
        r.rootStats = statsEnd;
        r.attackFigures = attack.figures();
        r.extra.addAll(attack.violations(statsEnd));
        return r;
    }

    private static final Pattern LOG_LINE = Pattern.compile("\\d{2}:\\d{2}:\\d{2}\\.\\d{3} (\\w+)\\s+\\[");

    /**
     * Lines the gateway printed that a peer can make it print: WARN and ERROR log lines and anything that is not a
     * log line at all (stack traces, the JVM's own messages), but neither our shell's traffic nor INFO lines (the
     * runtime logs each accepted join, the legitimate ones included).
     */
    private int logLines(int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            String l = gateway.line(i);
            Matcher m = LOG_LINE.matcher(l);
            if (m.find()) {
                n += m.group(1).equals("WARN") || m.group(1).equals("ERROR") ? 1 : 0;
            } else if (!(l.contains("probe heapUsed=") || l.contains("end-of-command-") || l.contains("stats ")
                    || l.isBlank() || l.trim().equals("g!"))) {
                n++;
            }
        }
        return n;
    }

    /**
     * Collects the probe lines the target's monitor prints every {@link #PROBE_MILLIS} ms, and every
     * {@link #SHELL_MILLIS} ms runs one probe through the shell: the proof that the shell answers.
     */
    private void sample() {
        int seen = gateway.lineCount();
        long nextShell = System.nanoTime();
        while (sampling) {
            try {
                int now = gateway.lineCount();
                for (; seen < now; seen++) {
                    String l = gateway.line(seen);
                    Sample s = l.contains("probe heapUsed=") ? Sample.parse(List.of(l)) : null;
                    if (s != null) {
                        synchronized (samples) {
                            samples.add(s);
                        }
                    }
                }
                if (System.nanoTime() - nextShell >= 0) {
                    probe("hostile:probe"); // its answer is a sample too: the loop above reads it next round
                    shellProbes++;
                    nextShell = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SHELL_MILLIS);
                }
                synchronized (samplingLock) {
                    if (sampling) {
                        samplingLock.wait(PROBE_MILLIS);
                    }
                }
            } catch (IOException | InterruptedException e) {
                shellProblems.add(e.toString());
                return;
            }
        }
    }

    /** Ends the sampler's loop at once (not after its current wait) and waits for it, bounded. */
    private void stopSampling() throws InterruptedException {
        synchronized (samplingLock) {
            sampling = false;
            samplingLock.notifyAll();
        }
        if (sampler != null) {
            sampler.join(PROBE_TIMEOUT_MILLIS + 1000);
        }
    }

    /** Probes after a collection until threads, fds, heap and direct memory are back near the baseline (bounded). */
    private long recover(Sample baseline, CaseResult r) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(RECOVERY_MILLIS);
        Sample s = null;
        while (gateway.isAlive()) {
            s = probe("hostile:probe gc");
            if (s != null && near(s, baseline)) {
                r.afterRecovery = s;
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            }
            if (System.nanoTime() > deadline) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
        r.afterRecovery = s;
        return -1;
    }

    /** Waits (bounded) until every live leaf has seen the root's last message. */
    private void awaitLeaves(long sent) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < deadline && leaves.stream()
                .anyMatch(l -> l.ended() == null && l.lastSeq() < sent - 1)) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    private Sample probe(String command) throws IOException, InterruptedException {
        if (!gateway.isAlive()) {
            shellProblems.add("gateway exited");
            return null;
        }
        List<String> out = gateway.shell(command, PROBE_TIMEOUT_MILLIS);
        if (out == null) {
            shellProblems.add("no answer within " + PROBE_TIMEOUT_MILLIS + " ms");
            return null;
        }
        Sample s = Sample.parse(out);
        if (s == null) {
            shellProblems.add(String.join(" | ", out));
        }
        return s;
    }

    private String stats() throws IOException, InterruptedException {
        List<String> out = gateway.shell("hostile:stats", PROBE_TIMEOUT_MILLIS);
        return out == null ? "stats no answer" : out.stream().filter(l -> l.contains("stats ")).findFirst()
                .map(l -> l.substring(l.indexOf("stats "))).orElse(String.join(" | ", out));
    }

    private List<String> shell(String command) throws IOException, InterruptedException {
        return gateway.shell(command);
    }

    private long install(String location) throws IOException, InterruptedException {
        List<String> out = shell("install " + location);
        for (String l : out) {
            Matcher m = Pattern.compile("Bundle ID: (\\d+)").matcher(l);
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
        }
        throw new AssertionError("install " + location + " printed " + out);
    }

    private static int port(List<String> out, String prefix) {
        for (String l : out) {
            Matcher m = Pattern.compile(Pattern.quote(prefix) + " .*:(\\d+)").matcher(l);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("no '" + prefix + "' in " + out);
    }

    private void awaitCatalog(boolean multicast) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GatewayProcess.WAIT_SECONDS);
        for (String c; !(c = String.join("\n", shell("joinleaf:providers"))).contains("joinleaf tcp multipoint")
                || multicast && !c.contains("joinleaf multicast [UDP/IP]");) {
            assertTrue("the providers never entered the catalog: " + c, System.nanoTime() < deadline);
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
    }

    /**
     * The jar of a provider bundle: where the reactor put the class on our classpath (the module's jar, or beside
     * its target/classes).
     */
    private static String bundleJar(String className, String module) throws Exception {
        Path where = Paths.get(Class.forName(className).getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isRegularFile(where)) {
            return "file:" + where;
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(where.getParent(), module + "-*.jar")) {
            for (Path j : jars) {
                String n = j.getFileName().toString();
                if (!n.endsWith("-tests.jar") && !n.endsWith("-sources.jar")) {
                    return "file:" + j;
                }
            }
        }
        throw new AssertionError("no " + module + " jar beside " + where + ": build it (package) first");
    }

    /**
     * The suite's root application as a bundle jar made from our compiled test classes of the target package:
     * imports the Winsock API and the JMX types the probe reads; Netty's internals are looked up dynamically.
     */
    private static Path targetBundle() throws IOException, URISyntaxException {
        String pkg = TargetActivator.class.getPackageName();
        Path classes = Paths.get(TargetActivator.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve(pkg.replace('.', '/'));
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "org.joinleaf.gateway.hostile.target");
        a.putValue("Bundle-Version", "0.1.0");
        a.putValue("Bundle-Name", "joinleaf hostile-peer suite: the attacked root application");
        a.putValue("Bundle-Activator", TargetActivator.class.getName());
        a.putValue("Import-Package", "org.joinleaf.api,org.osgi.framework,javax.management,javax.management.openmbean");
        a.putValue("DynamicImport-Package", "io.netty.util.internal");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, mf);
             DirectoryStream<Path> files = Files.newDirectoryStream(classes, "*.class")) {
            for (Path f : files) {
                jar.putNextEntry(new JarEntry(pkg.replace('.', '/') + "/" + f.getFileName()));
                jar.write(Files.readAllBytes(f));
                jar.closeEntry();
            }
        }
        Path out = Files.createTempFile("joinleaf-hostile-target", ".jar");
        Files.write(out, bytes.toByteArray());
        out.toFile().deleteOnExit();
        return out;
    }

    @Override
    public void close() throws Exception {
        closeApplication();
        gateway.close(TERM_SECONDS);
        if (pki != null) {
            pki.close();
        }
    }
}
