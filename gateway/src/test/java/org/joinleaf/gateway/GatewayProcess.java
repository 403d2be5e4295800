package org.joinleaf.gateway;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The exported gateway started as a real process through {@code gateway/run.sh}, in its own temporary working
 * directory with a copy of the distribution's {@code conf/}, with the Gogo shell reading commands from our pipe.
 * Its merged stdout/stderr is collected line by line (bounded) so tests can wait for a line, never for a time.
 */
public final class GatewayProcess implements AutoCloseable {
    /** Bound on every wait; a healthy gateway needs about a second, a loaded CI machine a few. */
    public static final long WAIT_SECONDS = 60;
    /** Lines kept for waiters; older ones are dropped, indices stay absolute (a log flood must not stall the shell). */
    private static final int MAX_LINES = 20_000;
    /** Lines echoed to our stdout by default; the rest are only counted, so a log flood does not flood the report. */
    private static final int MAX_ECHOED = 5_000;

    final Path workDir;
    final Path conf;
    private final Process process;
    private final OutputStream stdin;
    private final Thread reader;
    private final List<String> lines = new ArrayList<>();
    private volatile int echoed = MAX_ECHOED;
    /** Absolute index of the first line still in {@link #lines}. */
    private int dropped;
    private int commands;

    private GatewayProcess(Path workDir, Process process) {
        this.workDir = workDir;
        this.conf = workDir.resolve("conf");
        this.process = process;
        this.stdin = process.getOutputStream();
        this.reader = new Thread(this::readOutput, "gateway-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the gateway the way an operator does, with the shell interactive on our pipe. */
    static GatewayProcess start() throws IOException {
        return start(0);
    }

    /**
     * The same with the descriptor limit ({@code ulimit -n}) set to {@code nofile} first, when it is positive: run.sh
     * then starts the JVM under that limit, as a service manager's LimitNOFILE would.
     */
    public static GatewayProcess start(int nofile) throws IOException {
        Path dist = Paths.get(System.getProperty("joinleaf.gateway.dist", "target/gateway")).toAbsolutePath();
        Path script = Paths.get(System.getProperty("joinleaf.gateway.script", "run.sh")).toAbsolutePath();
        assertTrue("exported gateway missing: " + dist, Files.isRegularFile(dist.resolve("gateway.jar")));
        Path workDir = Files.createTempDirectory("joinleaf-gateway-it");
        copyTree(dist.resolve("conf"), workDir.resolve("conf"));
        List<String> command = nofile > 0
                ? List.of("bash", "-c", "ulimit -n " + nofile + " && exec \"$0\"", script.toString())
                : List.of(script.toString());
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        pb.environment().put("GATEWAY_CONF", workDir.resolve("conf").toString());
        pb.environment().put("GATEWAY_SHELL", "interactive");
        return start(pb, workDir);
    }

    /** Starts {@code pb} (output merged) as a gateway whose {@code conf/} is in {@code workDir}; close() deletes it. */
    static GatewayProcess start(ProcessBuilder pb, Path workDir) throws IOException {
        return new GatewayProcess(workDir, pb.redirectErrorStream(true).start());
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null;) {
                synchronized (lines) {
                    int index = dropped + lines.size();
                    if (index < echoed) {
                        System.out.println("[gateway] " + line);
                    } else if (index == echoed) {
                        System.out.println("[gateway] (further lines are counted, not echoed)");
                    }
                    lines.add(line);
                    if (lines.size() > 2 * MAX_LINES) { // drop the older half at once: amortised O(1) per line
                        lines.subList(0, MAX_LINES).clear();
                        dropped += MAX_LINES;
                    }
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process ended; waiters see no further lines
        }
    }

    /** Waits (bounded) for a line matching the predicate at or after index {@code from}; returns its index. */
    int awaitLine(int from, Predicate<String> match, String what) throws InterruptedException {
        int index = awaitLine(from, match, TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        if (index < 0) {
            synchronized (lines) { // the tail only: a flooded log would make a message of megabytes
                fail("gateway never printed " + what + "; last lines of its output:\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 200), lines.size())));
            }
        }
        return index;
    }

    /** The same bounded by {@code timeoutMillis}; -1 when no such line came (or the process ended first). */
    int awaitLine(int from, Predicate<String> match, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (lines) {
            for (int i = Math.max(from, dropped);; ) {
                for (i = Math.max(i, dropped); i < dropped + lines.size(); i++) {
                    if (match.test(get(i))) {
                        return i;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive() && !reader.isAlive()) {
                    return -1;
                }
                TimeUnit.NANOSECONDS.timedWait(lines, left);
            }
        }
    }

    /** Echoes at most the first {@code lines} lines from now on (a suite that floods the log sets it low). */
    public void echo(int lines) {
        echoed = lines;
    }

    public int awaitLine(Predicate<String> match, String what) throws InterruptedException {
        return awaitLine(0, match, what);
    }

    /** Line {@code index} (absolute); caller holds the lock; a dropped line reads as empty. */
    private String get(int index) {
        return index < dropped ? "" : lines.get(index - dropped);
    }

    public String line(int index) {
        synchronized (lines) {
            return get(index);
        }
    }

    /** Lines printed so far, dropped ones included. */
    /** The folder of .cfg files this gateway's FileInstall applies (a copy of the distribution's conf/). */
    public Path conf() {
        return conf;
    }

    public int lineCount() {
        synchronized (lines) {
            return dropped + lines.size();
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Runs one Gogo command and returns the lines it printed: the command is followed by an {@code echo} of a
     * unique marker, so the output is complete when the marker comes back.
     */
    public List<String> shell(String command) throws IOException, InterruptedException {
        List<String> out = shell(command, TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        if (out == null) {
            awaitLine(lineCount(), l -> false, "the end of command " + command); // fails with the output
        }
        return out;
    }

    /** The same bounded by {@code timeoutMillis}: {@code null} when the shell did not answer in time. */
    public synchronized List<String> shell(String command, long timeoutMillis) throws IOException, InterruptedException {
        String marker = "end-of-command-" + (++commands);
        int from = lineCount();
        stdin.write((command + "\necho " + marker + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        int end = awaitLine(from, l -> l.endsWith(marker) && !l.contains("echo " + marker), timeoutMillis);
        if (end < 0) {
            return null;
        }
        synchronized (lines) {
            List<String> out = new ArrayList<>();
            for (int i = Math.max(from, dropped); i < end; i++) {
                out.add(get(i));
            }
            return out;
        }
    }

    /**
     * Sends SIGTERM and waits, bounded, for the exit code. Through the process handle: {@link Process#destroy()}
     * also closes our ends of the pipes, so the shell would see end of input and the last lines would be lost.
     */
    int terminate() throws InterruptedException {
        assertTrue("no SIGTERM sent", process.toHandle().destroy());
        assertTrue("gateway did not exit within " + WAIT_SECONDS + " s of SIGTERM",
                process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS));
        reader.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        return process.exitValue();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        close(WAIT_SECONDS);
    }

    /** Closes, giving SIGTERM {@code termSeconds} (a gateway out of memory may never finish its shutdown hook). */
    public void close(long termSeconds) throws IOException, InterruptedException {
        // SIGTERM first so the launcher deletes its temporary framework directory; SIGKILL only as a last resort.
        if (process.isAlive() && !(process.toHandle().destroy() && process.waitFor(termSeconds, TimeUnit.SECONDS))) {
            process.destroyForcibly().waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
