package org.joinleaf.runtime.shell;

import static org.joinleaf.api.Winsock2.*;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.felix.service.command.Descriptor;
import org.joinleaf.api.LPCONDITIONPROC;
import org.joinleaf.api.QOS;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSABUF;
import org.joinleaf.api.WSADATA;
import org.joinleaf.api.WSAError;
import org.joinleaf.api.Winsock;
import org.joinleaf.runtime.HandleText;
import org.joinleaf.runtime.ProviderCatalog;
import org.joinleaf.runtime.dto.SocketDTO;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

/**
 * The {@code joinleaf:} Gogo commands. Gogo finds them by the {@code osgi.command.*} properties; without Gogo the
 * component is simply unused.
 * <ul>
 * <li>Views of the live catalog and of every process: {@code providers}, {@code sockets}, {@code session}.</li>
 * <li>Manual testing: {@code socket}, {@code listen}, {@code join}, {@code joinasync} (and {@code jobs}),
 * {@code accept}, {@code send}, {@code recv}, {@code close} make Winsock calls in the shell's OWN process: this component's bundle-scoped {@link Winsock}
 * instance (the process of the bundle {@code org.joinleaf.provider.impl}), separate from every application's. Its
 * descriptors are not valid in any other process and close when the component stops.</li>
 * <li>{@code pin}/{@code unpin} live in {@link PinCommands}, which needs Config Admin.</li>
 * </ul>
 * Handles print and parse as {@link HandleText} has them ({@code 0x104}), like the runtime's log lines.
 */
// Immediate: a delayed component would be deactivated between commands (Gogo releases the service after each
// call), and that would close the shell's sockets.
@Component(service = JoinleafCommands.class, immediate = true, property = {"osgi.command.scope=joinleaf",
        "osgi.command.function=providers", "osgi.command.function=sockets", "osgi.command.function=session",
        "osgi.command.function=socket", "osgi.command.function=listen", "osgi.command.function=join",
        "osgi.command.function=joinasync", "osgi.command.function=jobs", "osgi.command.function=accept",
        "osgi.command.function=send", "osgi.command.function=recv", "osgi.command.function=close"})
public final class JoinleafCommands {
    /** Largest message {@code recv} shows. */
    private static final int RECV_BUFFER = 64 * 1024;
    /** Room for the callee data a join can bring back. */
    private static final int CALLEE_BUFFER = 1024;

    private final ProviderCatalog catalog;
    private final Winsock winsock;
    private final AsyncJoins asyncJoins;
    /** Declarative Services' view, for the provider components that are not serving (none outside OSGi). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ServiceComponentRuntime scr;

    @Activate
    public JoinleafCommands(@Reference ProviderCatalog catalog, @Reference Winsock winsock) {
        // Outside a command, Gogo's System.out is the framework console: where a finished async join is reported.
        this(catalog, winsock, System.out::println);
    }

    JoinleafCommands(ProviderCatalog catalog, Winsock winsock, Consumer<String> console) {
        this.catalog = catalog;
        this.winsock = winsock;
        this.asyncJoins = new AsyncJoins(console);
        winsock.WSAStartup(MAKEWORD(2, 2), new WSADATA());
    }

    @Deactivate
    void deactivate() {
        winsock.WSACleanup(); // closes whatever the operator left open, which ends the joins still in flight
        asyncJoins.close();
    }

    @Descriptor("list the transport providers, best first, with their counters and catalog entries (XP1 flags by name),"
            + " then the provider components that failed or wait, and why")
    public String providers() {
        ServiceComponentRuntime runtime = scr;
        String listing = Tables.providers(catalog.providerDTOs(), catalog.pinned());
        List<String> failed = runtime == null ? List.of() : FailedComponents.of(runtime);
        if (failed.isEmpty()) {
            return listing;
        }
        return listing + "\nnot serving:\n  " + String.join("\n  ", failed);
    }

    @Descriptor("list the open sockets of every process (bundle): kind, state, provider, peer and counters")
    public String sockets() {
        return Tables.sockets(catalog.socketDTOs());
    }

    @Descriptor("show a c_root's session: the c_leaf descriptors its accepts and invitations made, with peer, state"
            + " and counters")
    public String session(@Descriptor("the c_root's socket handle, as joinleaf:sockets shows it") String handle) {
        long root = Args.handle(handle);
        List<SocketDTO> all = catalog.socketDTOs();
        Optional<SocketDTO> r = all.stream().filter(s -> s.handle == root).findFirst();
        if (r.isEmpty()) {
            return "no open socket " + HandleText.of(root);
        }
        if (!r.get().kind.startsWith("c_root")) {
            return "socket " + HandleText.of(root) + " is " + r.get().kind + ", not a c_root: only a c_root has a session of leaves";
        }
        return Tables.session(r.get(), all.stream().filter(s -> s.root == root).collect(Collectors.toList()));
    }

    // ---- manual testing, in the shell's own process ----

    @Descriptor("create a socket in the shell's own Winsock process; prints its handle and the provider it landed on")
    public String socket(@Descriptor("address family: inet or inet6") String af,
                         @Descriptor("socket type: stream, dgram, seqpacket (local rooted sessions), rdm or raw")
                         String type,
                         @Descriptor("root (C_ROOT|D_ROOT), leaf (C_LEAF|D_LEAF) or plain (no multipoint flags)")
                         String kind) {
        SOCKET s = winsock.WSASocket(Args.family(af), Args.type(type), 0, null, 0, Args.kindFlags(kind));
        if (s.equals(SOCKET.INVALID_SOCKET)) {
            return failure("WSASocket");
        }
        return catalog.socketDTOs().stream().filter(d -> d.handle == s.value()).findFirst()
                .map(d -> "socket " + HandleText.of(s) + ": " + d.kind + " on provider '" + d.provider + "' ("
                        + d.entry + ")")
                .orElse("socket " + HandleText.of(s));
    }

    @Descriptor("bind a socket of the shell's process to an address and listen (backlog 5); port 0 picks one")
    public String listen(@Descriptor("socket handle") String handle,
                         @Descriptor("local address:port, e.g. 127.0.0.1:0 or [::1]:7000") String address) {
        long s = Args.handle(handle);
        SOCKADDR name = Args.address(address);
        if (winsock.bind(SOCKET.of(s), name, name.size()) != 0) {
            return failure("bind");
        }
        if (winsock.listen(SOCKET.of(s), 5) != 0) {
            return failure("listen");
        }
        SOCKADDR bound = new SOCKADDR();
        int[] len = {SOCKADDR.SIZEOF_SOCKADDR_STORAGE};
        String socket = "socket " + HandleText.of(s);
        return winsock.getsockname(SOCKET.of(s), bound, len) == 0 ? socket + " listening on " + bound
                : socket + " listening";
    }

    @Descriptor("WSAJoinLeaf (JL_BOTH), blocking until the join ends; prints the member's handle and the callee data")
    public String join(@Descriptor("socket handle (a c_leaf joins a root; a c_root invites a leaf)") String handle,
                       @Descriptor("the root's or leaf's address:port") String address,
                       @Descriptor("caller data sent with the join (text)") String... callerData) {
        return joinLeaf(Args.handle(handle), Args.address(address), address, callerData);
    }

    @Descriptor("WSAJoinLeaf (JL_BOTH) on a worker: returns at once; the member's handle and the callee data are"
            + " printed when the join ends (and kept for joinleaf:jobs)")
    public String joinasync(@Descriptor("socket handle (a c_leaf joins a root; a c_root invites a leaf)") String handle,
                            @Descriptor("the root's or leaf's address:port") String address,
                            @Descriptor("caller data sent with the join (text)") String... callerData) {
        long s = Args.handle(handle);
        SOCKADDR name = Args.address(address);
        String what = "socket " + HandleText.of(s) + " to " + address;
        int job = asyncJoins.start(what, () -> joinLeaf(s, name, address, callerData));
        return job < 0 ? "refused: " + AsyncJoins.MAX_RUNNING + " async joins are under way; wait for one to end"
                : "join " + job + " (" + what + ") started; its outcome is printed when it ends";
    }

    @Descriptor("the async joins under way and the outcomes of the last ones")
    public String jobs() {
        List<String> done = asyncJoins.outcomes();
        return asyncJoins.running() + " async join(s) under way"
                + (done.isEmpty() ? "" : "\n" + String.join("\n", done));
    }

    private String joinLeaf(long s, SOCKADDR name, String address, String[] callerData) {
        WSABUF caller = callerData.length == 0 ? null
                : WSABUF.of(String.join(" ", callerData).getBytes(StandardCharsets.UTF_8));
        WSABUF callee = WSABUF.allocate(CALLEE_BUFFER);
        SOCKET member = winsock.WSAJoinLeaf(SOCKET.of(s), name, name.size(), caller, callee, null, null, JL_BOTH);
        if (member.equals(SOCKET.INVALID_SOCKET)) {
            return failure("WSAJoinLeaf");
        }
        return "joined " + address + " as socket " + HandleText.of(member) + "; callee data "
                + Args.text(callee.toBytes());
    }

    @Descriptor("accept the head join request of a listening socket (CF_ACCEPT), showing its caller data and"
            + " answering the callee data given; WSAEWOULDBLOCK when none is queued")
    public String accept(@Descriptor("listening socket handle") String handle,
                         @Descriptor("callee data answered to the caller (text); none: no reply")
                         String... calleeData) {
        long s = Args.handle(handle);
        Answer answer = new Answer(String.join(" ", calleeData).getBytes(StandardCharsets.UTF_8));
        SOCKADDR from = new SOCKADDR();
        int[] len = {SOCKADDR.SIZEOF_SOCKADDR_STORAGE};
        return nonBlocking(s, "WSAAccept", () -> winsock.WSAAccept(SOCKET.of(s), from, len, answer, 0),
                SOCKET.INVALID_SOCKET::equals, member -> "accepted " + from + " as socket " + HandleText.of(member)
                        + "; caller data " + Args.text(answer.callerData) + answer.describe());
    }

    /** The condition function of {@code joinleaf:accept}: keeps a copy of the caller data and answers {@code reply}. */
    private static final class Answer implements LPCONDITIONPROC {
        private final byte[] reply;
        byte[] callerData = new byte[0];
        /** Bytes of the reply the provider carries; -1 when it carries no callee data (len 0 on entry). */
        int sent = -1;

        Answer(byte[] reply) {
            this.reply = reply;
        }

        @Override
        public int apply(WSABUF callerId, WSABUF caller, QOS sqos, QOS gqos, WSABUF calleeId, WSABUF callee, int[] g,
                         long callbackData) {
            callerData = caller == null ? new byte[0] : caller.toBytes(); // the buffers belong to the call
            if (callee != null && callee.buf != null && callee.len > 0) {
                sent = Math.min(reply.length, Math.min(callee.len, callee.buf.length));
                System.arraycopy(reply, 0, callee.buf, 0, sent);
                callee.len = sent;
            }
            return CF_ACCEPT;
        }

        String describe() {
            if (reply.length == 0) {
                return "";
            }
            if (sent < 0) {
                return "; callee data not sent: this provider carries none";
            }
            return "; answered callee data " + Args.text(Arrays.copyOf(reply, sent))
                    + (sent < reply.length ? " (cut to the " + sent + " bytes the provider carries)" : "");
        }
    }

    @Descriptor("send text on a socket of the shell's process")
    public String send(@Descriptor("socket handle") String handle, @Descriptor("the text to send") String... text) {
        long s = Args.handle(handle);
        byte[] bytes = String.join(" ", text).getBytes(StandardCharsets.UTF_8);
        int n = winsock.send(SOCKET.of(s), bytes, bytes.length, 0);
        return n < 0 ? failure("send") : "sent " + n + " bytes";
    }

    @Descriptor("receive one queued message or chunk without blocking; WSAEWOULDBLOCK when nothing is queued")
    public String recv(@Descriptor("socket handle") String handle) {
        long s = Args.handle(handle);
        byte[] buf = new byte[RECV_BUFFER];
        SOCKADDR from = new SOCKADDR();
        int[] len = {SOCKADDR.SIZEOF_SOCKADDR_STORAGE};
        return nonBlocking(s, "recv", () -> winsock.recvfrom(SOCKET.of(s), buf, buf.length, 0, from, len), n -> n < 0,
                n -> n == 0 ? "the peer closed gracefully (0 bytes)"
                        : "received " + n + " bytes from " + from + ": " + Args.text(Arrays.copyOf(buf, n)));
    }

    @Descriptor("closesocket on a socket of the shell's process")
    public String close(@Descriptor("socket handle") String handle) {
        long s = Args.handle(handle);
        return winsock.closesocket(SOCKET.of(s)) == 0 ? "closed " + HandleText.of(s) : failure("closesocket");
    }

    /** Runs {@code call} with the socket non-blocking, renders its outcome, then makes the socket blocking again. */
    private <T> String nonBlocking(long s, String callName, Supplier<T> call, Predicate<T> failed,
                                   Function<T, String> render) {
        if (winsock.ioctlsocket(SOCKET.of(s), FIONBIO, new int[] {1}) != 0) {
            return failure("ioctlsocket(FIONBIO)");
        }
        try {
            T result = call.get();
            return failed.test(result) ? failure(callName) : render.apply(result);
        } finally {
            winsock.ioctlsocket(SOCKET.of(s), FIONBIO, new int[] {0});
        }
    }

    /** {@code WSAJoinLeaf failed: WSASYSCALLFAILURE (10107): provider 'default' does not support ...}. */
    private String failure(String call) {
        int code = winsock.WSAGetLastError();
        String message = winsock.WSAGetLastErrorMessage();
        return call + " failed: " + WSAError.describe(code) + (message.isEmpty() ? "" : ": " + message);
    }
}
