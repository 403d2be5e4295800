package org.joinleaf.tcp;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.util.ArrayList;
import java.util.List;

/** A test's peer in a JVM of its own (our classpath), optionally run inside a network namespace. */
final class ChildJvm {
    /** Bound on a child's first join: a JVM starting on a loaded machine takes seconds. */
    static final long START_MILLIS = 60_000;
    private ChildJvm() {
    }

    /** Starts {@code main} with {@code args} after {@code prefix} (e.g. {@link NetNamespace#execPrefix()}). */
    static Process start(List<String> prefix, Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(Redirect.INHERIT).start();
    }

    /** The next line the child prints, or why there is none. */
    static String nextLine(BufferedReader out, Process p) {
        try {
            String line = out.readLine();
            return line == null ? "exited with " + p.waitFor() : line;
        } catch (IOException | InterruptedException e) {
            return e.toString();
        }
    }
}
