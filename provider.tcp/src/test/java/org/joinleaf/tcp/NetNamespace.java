package org.joinleaf.tcp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace joined to this one by a veth pair (MTU 1500, an Ethernet link's), made and removed by a test with
 * {@code ip} (iproute2): {@code 10.213.N.1/30} on this side, {@code 10.213.N.2/30} inside. {@link #partition()} sets
 * the inside end down, which stops all traffic silently (no RST, no ICMP): the closest thing to a pulled cable, with
 * no iptables needed. {@link #shape} limits this side's sending rate with {@code tc}.
 */
final class NetNamespace implements AutoCloseable {
    private static volatile String lastFailure = "";
    private static final AtomicInteger CREATED = new AtomicInteger();

    private final String name;
    private final String outside;
    private final String inside;
    private final int subnet;

    private NetNamespace(String name, String outside, String inside, int subnet) {
        this.name = name;
        this.outside = outside;
        this.inside = inside;
        this.subnet = subnet;
    }

    /** A ready namespace, or {@code null} (see {@link #lastFailure()}) where namespaces cannot be made. */
    static NetNamespace tryCreate() throws InterruptedException {
        // a name of its own each time: the kernel removes a deleted namespace's veth pair in the background
        String id = ProcessHandle.current().pid() + "x" + CREATED.incrementAndGet() % 100;
        int subnet = (int) ((ProcessHandle.current().pid() + CREATED.get()) % 250) + 1;
        NetNamespace ns = new NetNamespace("jltest" + id, "jlh" + id, "jlp" + id, subnet);
        try {
            ns.ip("netns", "add", ns.name);
        } catch (IOException e) {
            lastFailure = e.getMessage();
            return null;
        }
        try {
            ns.ip("link", "add", ns.outside, "mtu", "1500", "type", "veth", "peer", "name", ns.inside, "mtu", "1500");
            ns.ip("link", "set", ns.inside, "netns", ns.name);
            ns.ip("addr", "add", ns.hostAddress() + "/30", "dev", ns.outside);
            ns.ip("link", "set", ns.outside, "up");
            ns.ip("-n", ns.name, "addr", "add", "10.213." + subnet + ".2/30", "dev", ns.inside);
            ns.ip("-n", ns.name, "link", "set", ns.inside, "up");
            ns.ip("-n", ns.name, "link", "set", "lo", "up");
            return ns;
        } catch (IOException e) {
            lastFailure = e.getMessage();
            ns.close();
            return null;
        }
    }

    static String lastFailure() {
        return lastFailure;
    }

    /** This side's address, to bind the root to. */
    String hostAddress() {
        return "10.213." + subnet + ".1";
    }

    /** Prepended to a command to run it inside the namespace. */
    List<String> execPrefix() {
        return List.of("ip", "netns", "exec", name);
    }

    /** Silently cuts the link: the inside end goes down. */
    void partition() throws IOException, InterruptedException {
        ip("-n", name, "link", "set", inside, "down");
    }

    /**
     * Shapes what this side sends into the namespace to {@code rate} (tc's notation, e.g. {@code 10mbit}) with a
     * token bucket: a link slower than the sender, as a WAN is.
     */
    void shape(String rate) throws IOException, InterruptedException {
        run(List.of("tc", "qdisc", "add", "dev", outside, "root", "tbf", "rate", rate, "burst", "32kbit", "latency",
                "400ms"));
    }

    /**
     * Sets the initial TCP receive buffer inside the namespace to {@code bytes} (its own {@code net.ipv4.tcp_rmem}):
     * the leaves' kernels can then hold a whole burst whether or not their process runs.
     */
    void receiveBuffer(int bytes) throws IOException, InterruptedException {
        run(List.of("ip", "netns", "exec", name, "sysctl", "-q", "-w",
                "net.ipv4.tcp_rmem=4096 " + bytes + " " + Math.max(bytes, 33554432)));
    }

    @Override
    public void close() throws InterruptedException {
        try {
            ip("netns", "del", name); // takes the veth pair with it
        } catch (IOException e) {
            lastFailure = e.getMessage();
        }
    }

    private void ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("ip");
        command.addAll(List.of(args));
        run(command);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + output.trim());
        }
    }
}
