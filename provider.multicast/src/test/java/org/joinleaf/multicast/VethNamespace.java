package org.joinleaf.multicast;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace the test makes, joined to this one by a veth pair ({@code ip}, needs root): the real link of
 * issue 13's cases, on which nothing but the test's own traffic flows. The idea is provider.tcp's
 * {@code NetNamespace}, cut to what multicast needs (no addresses: multicast names the interface, not a route).
 */
final class VethNamespace implements AutoCloseable {
    private final String name;
    private final String outside;
    private final String inside;

    private VethNamespace(String name, String outside, String inside) {
        this.name = name;
        this.outside = outside;
        this.inside = inside;
    }

    /** A ready namespace; throws with the reason (no root, no iproute2) where none can be made. */
    static VethNamespace create() throws IOException, InterruptedException {
        long pid = ProcessHandle.current().pid();
        VethNamespace ns = new VethNamespace("jlmc" + pid, "jlmo" + pid, "jlmi" + pid);
        ip("netns", "add", ns.name);
        try {
            ip("link", "add", ns.outside, "type", "veth", "peer", "name", ns.inside);
            ip("link", "set", ns.inside, "netns", ns.name);
            ip("addr", "add", "10.214." + (pid % 250) + ".1/30", "dev", ns.outside);
            ip("link", "set", ns.outside, "up");
            ip("-n", ns.name, "addr", "add", "10.214." + (pid % 250) + ".2/30", "dev", ns.inside);
            ip("-n", ns.name, "link", "set", ns.inside, "up");
            return ns;
        } catch (IOException e) {
            ns.close();
            throw e;
        }
    }

    /** This namespace's end of the pair (an interface of the test JVM's namespace). */
    String outside() {
        return outside;
    }

    /** The other end's IPv4 address, inside the namespace. */
    String insideAddress() {
        return "10.214." + (ProcessHandle.current().pid() % 250) + ".2";
    }

    /** Prepended to a command to run it inside the namespace. */
    List<String> exec(String... command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
        all.addAll(List.of(command));
        return all;
    }

    @Override
    public void close() throws InterruptedException {
        try {
            ip("netns", "del", name); // takes the veth pair with it
        } catch (IOException e) {
            // Already gone or never made; nothing to undo.
        }
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + output.trim());
        }
    }
}
