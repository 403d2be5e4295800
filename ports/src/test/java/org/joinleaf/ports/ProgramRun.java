package org.joinleaf.ports;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.joinleaf.api.Winsock;
import org.joinleaf.runtime.ProviderCatalog;
import org.joinleaf.runtime.WinsockProcess;

/**
 * One ported program running on its own thread as its own Winsock process (a {@link WinsockProcess} over the
 * shared catalog), its stdout and stderr captured line by line and its stdin a key the test presses. Closing ends
 * the process as the OSGi service release would ({@link WinsockProcess#terminate}), which unblocks a blocked call,
 * then waits (bounded) for the thread.
 */
final class ProgramRun implements AutoCloseable {
    static final long WAIT_MILLIS = 10_000;

    /** A program's constructor: {@code Mcastws2::new}, {@code Mcastatm::new}. */
    interface Factory {
        WinsockProgram create(Winsock ws, PrintStream stdout, PrintStream stderr, InputStream stdin);
    }

    private final WinsockProcess ws;
    private final Lines out = new Lines();
    private final Lines err = new Lines();
    private final CountDownLatch key = new CountDownLatch(1);
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final Thread thread;

    private ProgramRun(ProviderCatalog catalog, Factory factory, long sleepCapMillis, String[] argv) {
        ws = new WinsockProcess(catalog);
        WinsockProgram program = factory.create(ws, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new KeyboardStub());
        program.capSleep(sleepCapMillis);
        thread = new Thread(() -> {
            try {
                exit.complete(program.run(argv));
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        }, argv[0]);
        thread.setDaemon(true);
    }

    /** Starts {@code argv} ({@code argv[0]} the program name) with every {@code Sleep} capped at {@code sleepCapMillis}. */
    static ProgramRun start(ProviderCatalog catalog, Factory factory, long sleepCapMillis, String... argv) {
        ProgramRun run = new ProgramRun(catalog, factory, sleepCapMillis, argv);
        run.thread.start();
        return run;
    }

    /** The exit code; fails the test with the program's output if it has not ended within {@code millis}. */
    int exitCode(long millis) throws Exception {
        try {
            return exit.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(thread.getName() + " still running after " + millis + " ms; " + this);
        }
    }

    boolean ended() {
        return exit.isDone();
    }

    /** Waits (bounded) for an output line matching {@code match}. */
    boolean awaitLine(Predicate<String> match, long millis) throws InterruptedException {
        return out.await(match, millis);
    }

    /** Output lines starting with {@code prefix}. */
    long count(String prefix) {
        return out.snapshot().stream().filter(l -> l.startsWith(prefix)).count();
    }

    List<String> lines() {
        return out.snapshot();
    }

    /** Answers the program's {@code getchar()}. */
    void pressKey() {
        key.countDown();
    }

    @Override
    public void close() throws InterruptedException {
        key.countDown();
        ws.terminate();
        thread.join(WAIT_MILLIS);
    }

    @Override
    public String toString() {
        String state = !exit.isDone() ? "running at " + java.util.Arrays.toString(thread.getStackTrace())
                : exit.isCompletedExceptionally()
                ? "threw " + exit.handle((v, t) -> t).join() : "exit " + exit.join();
        return state + ", stdout " + out.snapshot() + " stderr " + err.snapshot();
    }

    /** stdin: one key, once the test pressed it; then end of file. */
    private final class KeyboardStub extends InputStream {
        private boolean pressed;

        @Override
        public int read() {
            if (pressed) {
                return -1;
            }
            try {
                key.await(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            pressed = true;
            return '\n';
        }
    }

    /** An output stream that keeps complete lines (bounded by what the program prints: its own counts). */
    private static final class Lines extends OutputStream {
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private final List<String> lines = new ArrayList<>();

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                lines.add(partial.toString(StandardCharsets.UTF_8));
                partial.reset();
                notifyAll();
            } else {
                partial.write(b);
            }
        }

        synchronized List<String> snapshot() {
            List<String> all = new ArrayList<>(lines);
            if (partial.size() > 0) {
                all.add(partial.toString(StandardCharsets.UTF_8));
            }
            return all;
        }

        synchronized boolean await(Predicate<String> match, long millis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (lines.stream().noneMatch(match)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                wait(left);
            }
            return true;
        }
    }
}
