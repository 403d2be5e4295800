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
final class GatewayProcess implements AutoCloseable {
    /** Bound on every wait; a healthy gateway needs about a second, a loaded CI machine a few. */
    static final long WAIT_SECONDS = 60;
    private static final int MAX_LINES = 20_000;

    final Path workDir;
    final Path conf;
    private final Process process;
    private final OutputStream stdin;
    private final Thread reader;
    private final List<String> lines = new ArrayList<>();
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
        Path dist = Paths.get(System.getProperty("joinleaf.gateway.dist", "target/gateway")).toAbsolutePath();
        Path script = Paths.get(System.getProperty("joinleaf.gateway.script", "run.sh")).toAbsolutePath();
        assertTrue("exported gateway missing: " + dist, Files.isRegularFile(dist.resolve("gateway.jar")));
        Path workDir = Files.createTempDirectory("joinleaf-gateway-it");
        copyTree(dist.resolve("conf"), workDir.resolve("conf"));
        ProcessBuilder pb = new ProcessBuilder(script.toString()).directory(workDir.toFile());
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
                System.out.println("[gateway] " + line);
                synchronized (lines) {
                    if (lines.size() < MAX_LINES) {
                        lines.add(line);
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
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        synchronized (lines) {
            for (int i = from;; ) {
                for (; i < lines.size(); i++) {
                    if (match.test(lines.get(i))) {
                        return i;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive() && !reader.isAlive()) {
                    fail("gateway never printed " + what + "; output:\n" + String.join("\n", lines));
                }
                TimeUnit.NANOSECONDS.timedWait(lines, left);
            }
        }
    }

    int awaitLine(Predicate<String> match, String what) throws InterruptedException {
        return awaitLine(0, match, what);
    }

    String line(int index) {
        synchronized (lines) {
            return lines.get(index);
        }
    }

    int lineCount() {
        synchronized (lines) {
            return lines.size();
        }
    }

    /**
     * Runs one Gogo command and returns the lines it printed: the command is followed by an {@code echo} of a
     * unique marker, so the output is complete when the marker comes back.
     */
    List<String> shell(String command) throws IOException, InterruptedException {
        String marker = "end-of-command-" + (++commands);
        int from = lineCount();
        stdin.write((command + "\necho " + marker + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        int end = awaitLine(from, l -> l.endsWith(marker) && !l.contains("echo " + marker), "marker " + marker);
        synchronized (lines) {
            return new ArrayList<>(lines.subList(from, end));
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
        // SIGTERM first so the launcher deletes its temporary framework directory; SIGKILL only as a last resort.
        if (process.isAlive() && !(process.toHandle().destroy() && process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS))) {
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
