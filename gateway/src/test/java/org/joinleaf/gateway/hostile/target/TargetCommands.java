package org.joinleaf.gateway.hostile.target;

import static org.joinleaf.api.Winsock2.*;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.util.Locale;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSADATA;
import org.joinleaf.api.Winsock;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * The {@code hostile:} commands the suite drives through the gateway's Gogo shell. Every answer is one line, so the
 * suite parses it without knowing Gogo's formatting; a probe that still answers is also the proof that the shell does.
 */
public final class TargetCommands {
    private final Winsock ws;
    private final BundleContext context;
    private TargetRoot root;
    private SOCKET lobby;
    private TargetGroup group;
    private Thread monitor;

    TargetCommands(Winsock ws, BundleContext context) {
        this.ws = ws;
        this.context = context;
        ws.WSAStartup(MAKEWORD(2, 2), new WSADATA());
    }

    /** Heap, direct memory, threads and descriptors of the gateway JVM. */
    public String probe() {
        return MemoryProbe.line(false);
    }

    /** The same after a full collection: what is still held. */
    public String probe(String gc) {
        return MemoryProbe.line(gc.equals("gc"));
    }

    /**
     * Prints a probe line to the gateway's stdout every {@code millis} ms (0 stops): measuring without a shell
     * command per sample (each command's pipes are garbage to collect; before the gateway's GogoJobReaper, Gogo
     * kept them all, about 45 KB each).
     */
    public synchronized String monitor(int millis) {
        if (monitor != null) {
            monitor.interrupt();
            monitor = null;
        }
        if (millis > 0) {
            // straight to the process's stdout: Gogo redirects System.out per command, and this thread outlives it
            PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
            monitor = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        out.println(MemoryProbe.line(false));
                        Thread.sleep(millis);
                    }
                } catch (InterruptedException e) {
                    // stopped
                }
            }, "hostile-monitor");
            monitor.setDaemon(true);
            monitor.start();
        }
        return "monitor " + millis + " ms";
    }

    /**
     * Opens the streaming root: entry rooted|relayed, reads all|slow|none, a message every intervalMs of payload
     * bytes, accepting everyone or as the gateway's admission policy decides (WSAAccept without a condition).
     */
    public synchronized String root(String entry, String reads, int intervalMs, int payload, String accept) {
        if (root != null) {
            return "root already at " + root.address;
        }
        root = new TargetRoot(ws, entry.equals("relayed"), TargetRoot.Reads.valueOf(reads.toUpperCase(Locale.ROOT)),
                intervalMs, payload, accept.equals("policy"));
        return "root listening " + root.address;
    }

    /** The tlsMode provider.tcp runs with (its service property; the service name keeps this bundle import-free). */
    public String tls() throws InvalidSyntaxException {
        ServiceReference<?>[] refs = context.getServiceReferences("org.joinleaf.spi.TransportProvider",
                "(joinleaf.provider.name=tcp)");
        return "tls " + (refs == null ? "no provider" : String.valueOf(refs[0].getProperty("tlsMode")));
    }

    /** A second c_root that listens and never calls WSAAccept: its joins wait for an accept that never comes. */
    public synchronized String lobby() {
        if (lobby == null) {
            lobby = ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, TargetRoot.entry(ws, false), 0,
                    WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_ROOT);
            return "lobby listening " + TargetRoot.listen(ws, lobby);
        }
        return "lobby already open";
    }

    /** Joins a multicast group (receive only) and counts what arrives by first byte. */
    public synchronized String group(String address, int port) {
        if (group == null) {
            group = new TargetGroup(ws, address, port);
        }
        return "group joined " + group.joined;
    }

    public synchronized String stats() {
        return (root == null ? "stats no root" : root.stats()) + (group == null ? "" : " " + group.stats());
    }

    /**
     * Ends one case's application (root, group, lobby, monitor) and keeps the Winsock process: the suite runs several
     * cases in one gateway process, each with an application of its own.
     */
    public synchronized String close() {
        monitor(0);
        if (root != null) {
            root.stop();
            root = null;
        }
        if (group != null) {
            group.stop();
            group = null;
        }
        if (lobby != null) {
            ws.closesocket(lobby);
            lobby = null;
        }
        return "closed";
    }

    public synchronized String stop() {
        close();
        ws.WSACleanup();
        return "stopped";
    }
}
