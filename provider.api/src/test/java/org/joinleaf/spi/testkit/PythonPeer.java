package org.joinleaf.spi.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.Assume;

/**
 * A peer nobody here wrote, for interoperability tests: a {@code python3 -c} script whose output lines the test reads
 * with a bounded wait. Closing kills the process.
 */
public final class PythonPeer implements AutoCloseable {
    private static Boolean present;
    private final Process process;
    private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(64);

    private PythonPeer(Process process) {
        this.process = process;
        Thread reader = new Thread(this::pump, "python-peer-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Skips the test, saying why, when {@code python3} cannot be run (probed once). */
    public static synchronized void assumePython() {
        if (present == null) {
            present = probe();
        }
        Assume.assumeTrue("python3 is not on the PATH; the interoperability test needs it as the peer", present);
    }

    private static boolean probe() {
        boolean found;
        try {
            Process p = new ProcessBuilder("python3", "-c", "pass").redirectErrorStream(true).start();
            found = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
            p.destroyForcibly();
        } catch (IOException e) {
            found = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            found = false;
        }
        return found;
    }

    /** Runs {@code script} with {@code args} ({@code sys.argv[1:]}, each as its string). */
    public static PythonPeer start(String script, Object... args) throws IOException {
        return startWith(List.of(), script, args);
    }

    /** The same, behind {@code prefix} (such as {@code ip netns exec <name>}). */
    public static PythonPeer startWith(List<String> prefix, String script, Object... args) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of("python3", "-c", script));
        for (Object a : args) {
            command.add(String.valueOf(a));
        }
        return new PythonPeer(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** The next output line, or {@code null} after {@code millis}. */
    public String nextLine(long millis) throws InterruptedException {
        return lines.poll(millis, TimeUnit.MILLISECONDS);
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.offer(line); // bounded: a chatty script cannot grow memory
            }
        } catch (IOException e) {
            // The process was killed.
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }
}
