package org.joinleaf.ports;

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
 * The other side of the interoperability tests: a {@code python3 -c} script (a multicast program nobody here wrote),
 * its output read line by line with bounded waits. Closing kills it.
 */
final class Python implements AutoCloseable {
    /** Joins group argv[1] port argv[2] on 127.0.0.1, says "ready", counts datagrams until argv[3] or 3 s of quiet. */
    static final String RECEIVER = String.join("\n",
            "import socket, sys",
            "g, p, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])",
            "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
            "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
            "s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)",
            "s.bind(('', p))",
            "s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,"
                    + " socket.inet_aton(g) + socket.inet_aton('127.0.0.1'))",
            "s.settimeout(3)",
            "print('ready', flush=True)",
            "count, size = 0, 0",
            "try:",
            "    while count < n:",
            "        data, addr = s.recvfrom(65535)",
            "        count, size = count + 1, len(data)",
            "except socket.timeout:",
            "    pass",
            "print('count', count, 'size', size, flush=True)");

    /**
     * Sends argv[3] datagrams of argv[4] bytes to group argv[1] port argv[2] via 127.0.0.1, TTL 0, 2 ms apart: an
     * unpaced burst from a fast sender can overflow the receiver's kernel buffer (issue 13: kernel drops), which is
     * not what these tests are about.
     */
    static final String SENDER = String.join("\n",
            "import socket, sys, time",
            "g, p, n, z = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])",
            "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
            "s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton('127.0.0.1'))",
            "s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 0)",
            "s.bind(('127.0.0.1', 0))",
            "for i in range(n):",
            "    s.sendto(b'%' * z, (g, p))",
            "    time.sleep(0.002)",
            "print('sent', n, flush=True)");

    private static Boolean present;
    private final Process process;
    private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(64);

    private Python(Process process) {
        this.process = process;
        Thread reader = new Thread(this::pump, "python-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Skips the test, saying why, when {@code python3} cannot be run (probed once). */
    static synchronized void assume() {
        if (present == null) {
            present = probe();
        }
        Assume.assumeTrue("python3 is not on the PATH; the interoperability tests need it as the peer", present);
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

    static Python start(String script, Object... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("python3", "-c", script));
        for (Object a : args) {
            command.add(String.valueOf(a));
        }
        return new Python(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** The next output line, or {@code null} after {@code millis}. */
    String nextLine(long millis) throws InterruptedException {
        return lines.poll(millis, TimeUnit.MILLISECONDS);
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.offer(line); // bounded: a chatty script cannot grow memory
            }
        } catch (IOException e) {
            // killed
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }
}
