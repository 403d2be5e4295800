package org.joinleaf.demo;

import static org.joinleaf.api.Winsock2.*;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSABUF;
import org.joinleaf.api.WSADATA;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.api.Winsock;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;

/**
 * The demo's script: (1) only the CE default provider, a join refused with WSASYSCALLFAILURE; (2) provider.qos and
 * provider.tcp installed and started at run time; (3) a root and three leaves, each its own bundle and Winsock,
 * join over loopback with caller and callee data and exchange data both ways; (4) provider.tcp stopped under them,
 * every socket closed with WSAENETDOWN; then the summary. Every wait is bounded by the configured step timeout.
 */
final class DemoRun {
    static final String TCP_ENTRY = "joinleaf tcp multipoint";
    private static final int ROOT = WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_ROOT;
    private static final int LEAF = WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF;
    private static final String[] LEAVES = {"leaf1", "leaf2", "leaf3"};

    private final BundleContext context;
    private final DemoConfig config;
    private final Winsock own;
    private final Transcript t;
    private final long timeoutMs;
    private final List<Role> roles = new ArrayList<>();
    private final List<Bundle> roleBundles = new ArrayList<>();

    DemoRun(BundleContext context, DemoConfig config, Winsock own, Transcript transcript) {
        this.context = context;
        this.config = config;
        this.own = own;
        this.t = transcript;
        this.timeoutMs = TimeUnit.SECONDS.toMillis(config.stepTimeoutSeconds());
    }

    void run() {
        try {
            own.WSAStartup(MAKEWORD(2, 2), new WSADATA());
            defaultProviderOnly();
            Bundle tcp = installTcp();
            if (tcp != null) {
                session(tcp);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            t.check("demo ran to the end", false, "interrupted (the gateway is stopping)");
        } catch (BundleException | RuntimeException e) {
            t.check("demo ran to the end", false, e.toString());
        } finally {
            stopRoles();
            own.WSACleanup();
            t.summary();
        }
    }

    /** Step 1: as on Windows CE, the default provider has no multipoint; a leaf's join fails with WSASYSCALLFAILURE. */
    private void defaultProviderOnly() {
        t.step(1, "the gateway with only the default provider (Windows CE behaviour)");
        t.note("catalog: " + catalog(own));
        SOCKET s = own.WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0, LEAF);
        SOCKADDR somewhere = SOCKADDR.of("127.0.0.1", 9);
        int r = own.WSAJoinLeaf(s, somewhere, somewhere.size(), null, null, null, null, JL_BOTH) == SOCKET.INVALID_SOCKET
                ? own.WSAGetLastError() : 0;
        t.event("demo", "WSAJoinLeaf (UDP c_leaf)", Role.code(r), "to " + somewhere + " on " + entryOf(own, s));
        t.check("default provider refuses a join", r == WSASYSCALLFAILURE, Role.code(r));
        own.closesocket(s);
    }

    /** Step 2: provider.qos then provider.tcp, installed and started from their jars while the gateway runs. */
    private Bundle installTcp() throws BundleException, InterruptedException {
        t.step(2, "install and start provider.tcp at run time");
        for (String location : new String[] {config.qosBundle(), config.tcpBundle()}) {
            Bundle b = context.getBundle(location) != null ? context.getBundle(location) : context.installBundle(location);
            b.start();
            t.event("demo", "installed and started", "bundle " + b.getBundleId(), b.getSymbolicName() + " " + b.getVersion());
        }
        boolean present = awaitCatalog(true);
        t.note("catalog: " + catalog(own));
        t.check("provider.tcp's entries in the catalog", present, present ? "present" : "missing after " + timeoutMs + " ms");
        return present ? context.getBundle(config.tcpBundle()) : null;
    }

    /** Steps 3 and 4: the multipoint session, then the provider stopped under it. */
    private void session(Bundle tcp) throws BundleException, InterruptedException {
        t.step(3, "a root and three leaves, each its own bundle, join over loopback");
        Progress progress = new Progress(LEAVES.length);
        Role root = role("root", progress);
        SOCKET r = root.ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, ROOT);
        root.ws.bind(r, SOCKADDR.of("127.0.0.1", 0), 16);
        SOCKADDR at = new SOCKADDR();
        root.ws.getsockname(r, at, new int[] {16});
        root.ws.listen(r, 8);
        root.watch(r, "c_root socket " + r.value(), FD_ACCEPT | FD_READ | FD_CLOSE, null);
        t.event("root", "listening (c_root, d_root)", Role.code(0), "at " + at + " on " + entryOf(root.ws, r));
        root.start();

        List<SOCKET> leafSockets = new ArrayList<>();
        for (String name : LEAVES) {
            Role leaf = role(name, progress);
            SOCKET l = leaf.ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, LEAF);
            WSABUF callee = WSABUF.allocate(64);
            leaf.watch(l, "c_leaf socket " + l.value(), FD_CONNECT | FD_READ | FD_CLOSE, callee);
            leaf.start();
            byte[] caller = ("hello from " + name).getBytes(StandardCharsets.US_ASCII);
            SOCKET j = leaf.ws.WSAJoinLeaf(l, at, at.size(), WSABUF.of(caller), callee, null, null, JL_BOTH);
            t.event(name, "WSAJoinLeaf (non-blocking)", Role.code(j == l ? 0 : leaf.ws.WSAGetLastError()),
                    "to " + at + ", caller data \"hello from " + name + "\"");
            leafSockets.add(l);
        }
        t.check("root accepted three join requests (FD_ACCEPT)", await(progress.accepted), left(progress.accepted));
        t.check("three leaves joined (FD_CONNECT, callee data)", await(progress.connected), left(progress.connected));

        t.step(4, "data both ways: the root to every leaf, each leaf to the root");
        byte[] hello = "root to all leaves".getBytes(StandardCharsets.US_ASCII);
        int sent = root.ws.send(r, hello, hello.length, 0);
        t.event("root", "send on c_root", Role.code(sent == SOCKET_ERROR ? root.ws.WSAGetLastError() : 0), sent + " bytes to every leaf");
        for (int i = 0; i < LEAVES.length; i++) {
            Role leaf = roles.get(i + 1);
            byte[] up = (LEAVES[i] + " to root").getBytes(StandardCharsets.US_ASCII);
            int n = leaf.ws.send(leafSockets.get(i), up, up.length, 0);
            t.event(leaf.name, "send on c_leaf", Role.code(n == SOCKET_ERROR ? leaf.ws.WSAGetLastError() : 0), n + " bytes to the root");
        }
        t.check("every leaf read the root's data (FD_READ)", await(progress.leavesRead), left(progress.leavesRead));
        t.check("the root read every leaf's data (FD_READ)", await(progress.rootRead), left(progress.rootRead));

        providerCounters();

        t.step(5, "stop provider.tcp under the session");
        tcp.stop();
        t.event("demo", "stopped", "bundle " + tcp.getBundleId(), tcp.getSymbolicName());
        boolean allClosed = await(progress.closed);
        List<String> notNetDown = progress.closeCodes.entrySet().stream().filter(e -> e.getValue() != WSAENETDOWN)
                .map(e -> e.getKey() + " " + Role.code(e.getValue())).collect(Collectors.toList());
        t.check("FD_CLOSE with WSAENETDOWN on every joined socket", allClosed && notNetDown.isEmpty(),
                allClosed ? progress.closeCodes.size() + " sockets" + (notNetDown.isEmpty() ? "" : ", but " + notNetDown)
                        : left(progress.closed));
        sendFailsWithNetDown(root, r);
        for (int i = 0; i < LEAVES.length; i++) {
            sendFailsWithNetDown(roles.get(i + 1), leafSockets.get(i));
        }
        root.ws.closesocket(r);
        for (int i = 0; i < LEAVES.length; i++) {
            roles.get(i + 1).ws.closesocket(leafSockets.get(i));
        }
        stopRoles();
        boolean fallback = awaitCatalog(false);
        t.note("catalog: " + catalog(own));
        t.check("new sockets fall back to the default provider", fallback, fallback ? "tcp entries gone" : "still listed");
    }

    /** The runtime's per-provider counters, read the way an operator's JMX console reads them. */
    private void providerCounters() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            for (ObjectName name : server.queryNames(new ObjectName("org.joinleaf:type=Provider,*"), null)) {
                long attempted = (Long) server.getAttribute(name, "JoinsAttempted");
                if (attempted == 0) {
                    continue;
                }
                t.event("demo", "JMX " + server.getAttribute(name, "Name"), attempted + " joins",
                        server.getAttribute(name, "JoinsAccepted") + " accepted, "
                                + server.getAttribute(name, "JoinsRefused") + " refused; out "
                                + server.getAttribute(name, "MessagesOut") + " msg/" + server.getAttribute(name, "BytesOut")
                                + " B, in " + server.getAttribute(name, "MessagesIn") + " msg/"
                                + server.getAttribute(name, "BytesIn") + " B");
            }
        } catch (JMException e) {
            t.note("no provider counters over JMX: " + e);
        }
    }

    private void sendFailsWithNetDown(Role role, SOCKET s) {
        byte[] b = {1};
        int code = role.ws.send(s, b, 1, 0) == SOCKET_ERROR ? role.ws.WSAGetLastError() : 0;
        t.event(role.name, "send after the stop", Role.code(code), "socket " + s.value());
        t.check(role.name + " socket " + s.value() + " is down", code == WSAENETDOWN, Role.code(code));
    }

    /** The role's bundle, its own Winsock (bundle-scoped: the runtime makes one per bundle) and its thread. */
    private Role role(String name, Progress progress) throws BundleException {
        Bundle bundle = RoleBundles.install(context, name);
        BundleContext bc = bundle.getBundleContext();
        ServiceReference<Winsock> ref = bc.getServiceReference(Winsock.class);
        Winsock ws = bc.getService(ref);
        roleBundles.add(bundle);
        ws.WSAStartup(MAKEWORD(2, 2), new WSADATA());
        t.event(name, "WSAStartup", Role.code(0), "in bundle " + bundle.getSymbolicName() + " [" + bundle.getBundleId() + "]");
        Role role = new Role(name, ws, t, progress);
        roles.add(role);
        return role;
    }

    private void stopRoles() {
        for (Role role : roles) {
            try {
                role.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            role.ws.WSACleanup();
        }
        roles.clear();
        for (Bundle b : roleBundles) { // releases the role's Winsock: the runtime ends that "process"
            try {
                b.stop();
            } catch (BundleException | IllegalStateException e) {
                t.note("cannot stop " + b.getSymbolicName() + ": " + e.getMessage());
            }
        }
        roleBundles.clear();
    }

    private boolean await(CountDownLatch latch) throws InterruptedException {
        return latch.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    private String left(CountDownLatch latch) {
        return latch.getCount() == 0 ? "yes" : latch.getCount() + " missing after " + timeoutMs + " ms";
    }

    /** Waits (bounded) until provider.tcp's entries are in the catalog, or gone. */
    private boolean awaitCatalog(boolean present) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (catalog(own).contains(TCP_ENTRY) != present) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(10); // the catalog has no change notification in the API
        }
        return true;
    }

    private static String catalog(Winsock ws) {
        int[] len = {0};
        ws.WSAEnumProtocols(null, null, len);
        WSAPROTOCOL_INFO[] buf = WSAPROTOCOL_INFO.array(len[0]);
        int n = ws.WSAEnumProtocols(null, buf, len);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add(buf[i].szProtocol);
        }
        return names.stream().distinct().collect(Collectors.joining(", "));
    }

    private static String entryOf(Winsock ws, SOCKET s) {
        WSAPROTOCOL_INFO info = new WSAPROTOCOL_INFO();
        int[] len = {WSAPROTOCOL_INFO.SIZE};
        return ws.getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFO, info, len) == 0 ? "'" + info.szProtocol + "'" : "?";
    }
}
