package org.joinleaf.multicast;

import static org.joinleaf.api.Winsock2.AF_INET;
import static org.joinleaf.api.Winsock2.AF_INET6;
import static org.joinleaf.api.Winsock2.WSAEAFNOSUPPORT;
import static org.joinleaf.api.Winsock2.WSAEINVAL;
import static org.joinleaf.api.Winsock2.WSAESOCKTNOSUPPORT;
import static org.joinleaf.api.Winsock2.WSAENETDOWN;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_C_LEAF;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_C_ROOT;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_D_LEAF;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_D_ROOT;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.spi.DatagramBudget;
import org.joinleaf.spi.LocalSources;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.ProviderStatus;
import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.spi.TransportProvider;
import org.joinleaf.spi.WsaException;
import org.joinleaf.spi.config.LaterChange;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The IP multicast transport provider (issue 4): non-rooted control and data planes over UDP, IPv4 and IPv6
 * (§1.3). Every socket is {@code C_LEAF|D_LEAF}; {@code WSAJoinLeaf} subscribes it to an existing group on the
 * configured interface, and any ordinary multicast program on that interface is a peer.
 *
 * <p>Usable without OSGi: {@code new MulticastProvider()}, {@code activate(ConfigValues.of(MulticastConfig.class, ...))}, and
 * {@code deactivate()} when done. Pitfall: the default interface is loopback ({@code lo}); set {@code interfaceName}
 * to reach other hosts.
 */
@Component(service = TransportProvider.class, configurationPid = MulticastConfig.PID,
        property = TransportProvider.PROVIDER_NAME + "=multicast") // service.ranking: MulticastConfig, the one place
@Designate(ocd = MulticastConfig.class)
public final class MulticastProvider implements TransportProvider, ProviderStatus {
    /** Bounded wait for the I/O threads in {@link #deactivate}, well inside SCR's 5 s. */
    private static final System.Logger LOG = System.getLogger(MulticastProvider.class.getName());
    private static final long STOP_TIMEOUT_MILLIS = 2000;
    private static final int LEAF_FLAGS = WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF;
    private static final int ROOT_FLAGS = WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_ROOT;

    private final Set<LeafSocket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean active;
    private final AtomicBoolean givingUp = new AtomicBoolean();
    private MulticastSettings settings;
    private List<WSAPROTOCOL_INFO> catalog;
    private SelectorLoops loops;
    private DatagramBudget<DropReason> budget;
    private SocketContext context;
    /** How this provider leaves the catalog when its I/O thread cannot go on; nothing outside OSGi. */
    private Runnable leaveCatalog = () -> { };
    /** Restarts this provider after a change that cannot apply live. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ServiceComponentRuntime scr;

    /** An inactive provider; call {@link #activate} before use. */
    public MulticastProvider() {
    }

    /**
     * Validates the configuration, resolves the interface and starts the I/O thread.
     *
     * @throws IllegalArgumentException naming the bad configuration value
     * @throws IOException              when no selector can be opened
     */
    public void activate(MulticastConfig config) throws IOException {
        activate(config, Runtime.getRuntime().maxMemory());
    }

    /** {@link #activate(MulticastConfig)} as if the heap could grow to {@code maxHeapBytes} (tests: -Xmx32m). */
    void activate(MulticastConfig config, long maxHeapBytes) throws IOException {
        settings = MulticastSettings.from(config, maxHeapBytes);
        catalog = MulticastCatalog.entries(settings.maxDatagramSize());
        MulticastInterface.warnIfLeftOnLoopback(settings.networkInterface());
        budget = new DatagramBudget<>(DropReason.class, settings.receiveLimits().totalBytes());
        loops = new SelectorLoops(settings.receiveThreads(), "joinleaf-multicast-io", this::giveUp,
                STOP_TIMEOUT_MILLIS);
        context = new SocketContext(settings, loops, new LocalSources(),
                new BoundPorts(), budget, open::remove);
        active = true;
    }

    /** The DS activation: {@link #activate(MulticastConfig)}, and a way to leave the catalog (disabling itself). */
    @Activate
    void start(ComponentContext context, MulticastConfig config) throws IOException {
        String name = String.valueOf(context.getProperties().get(ComponentConstants.COMPONENT_NAME));
        leaveCatalog = () -> context.disableComponent(name);
        activate(config);
    }

    /**
     * A later change is checked before anything stops: a refused value leaves the provider running as it is (one
     * line names PID, key, value and rule); a good change restarts it, since the interface, queues and datagram size
     * shape every socket (open sockets get {@code WSAENETDOWN}, decision 12).
     */
    @Modified
    void modified(ComponentContext context, MulticastConfig config) {
        if (LaterChange.orPrevious(null, () -> MulticastSettings.from(config), LOG) != null) {
            restart(context);
        }
    }

    /** Restarts this component through Declarative Services (disabled, then enabled with the configuration in force). */
    private void restart(ComponentContext context) {
        ServiceComponentRuntime runtime = scr;
        String name = String.valueOf(context.getProperties().get(ComponentConstants.COMPONENT_NAME));
        ComponentDescriptionDTO d = runtime == null ? null
                : runtime.getComponentDescriptionDTO(context.getBundleContext().getBundle(), name);
        LaterChange.restart(MulticastConfig.PID, d == null ? null : () -> runtime.disableComponent(d).getValue(),
                () -> runtime.enableComponent(d), LOG);
    }

    /** Refuses new sockets, closes the remaining ones (leaving their groups) and stops the I/O threads. */
    @Deactivate
    public void deactivate() {
        active = false;
        for (LeafSocket s : new ArrayList<>(open)) {
            s.close();
        }
        loops.stop(STOP_TIMEOUT_MILLIS);
    }

    @Override
    public List<WSAPROTOCOL_INFO> protocols() {
        List<WSAPROTOCOL_INFO> copies = new ArrayList<>();
        for (WSAPROTOCOL_INFO e : catalog) {
            copies.add(new WSAPROTOCOL_INFO(e));
        }
        return copies;
    }

    /**
     * Creates a {@code C_LEAF|D_LEAF} socket. A plain (non-multipoint) socket is refused with
     * {@code WSAESOCKTNOSUPPORT}, so the runtime passes this entry by and gives it to the next UDP entry (the default
     * provider's); any other multipoint combination is {@code WSAEINVAL} (decisions 3).
     */
    @Override
    public ProviderSocket socket(WSAPROTOCOL_INFO entry, int dwFlags, SocketUpcalls upcalls) throws WsaException {
        if ((dwFlags & (LEAF_FLAGS | ROOT_FLAGS)) == 0) {
            throw new WsaException(WSAESOCKTNOSUPPORT, "this provider makes multipoint sockets only: pass "
                    + "WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF, or use a plain UDP entry");
        }
        if ((dwFlags & LEAF_FLAGS) != LEAF_FLAGS || (dwFlags & ROOT_FLAGS) != 0) {
            throw new WsaException(WSAEINVAL, "this provider only creates C_LEAF|D_LEAF sockets: pass "
                    + "WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF to WSASocket (dwFlags were 0x"
                    + Integer.toHexString(dwFlags) + ")");
        }
        if (entry.iAddressFamily != AF_INET && entry.iAddressFamily != AF_INET6) {
            throw new WsaException(WSAEAFNOSUPPORT, "the multicast provider serves AF_INET and AF_INET6 only");
        }
        if (!active) {
            throw stopping();
        }
        LeafSocket socket = LeafSocket.open(entry.iAddressFamily, upcalls, context);
        open.add(socket);
        if (!active) { // deactivate ran meanwhile and did not see this socket
            socket.close();
            throw stopping();
        }
        return socket;
    }

    /**
     * An I/O thread cannot select any more: every socket gets {@code FD_CLOSE} with {@code WSAENETDOWN} and is
     * closed, new sockets are refused, and the component disables itself, which unregisters it from the catalog. The
     * disable runs on its own thread: it deactivates this provider, which must not wait for the thread calling it.
     */
    private void giveUp() {
        if (!givingUp.compareAndSet(false, true)) {
            return; // another I/O thread failed too: the first one already leaves
        }
        active = false;
        for (LeafSocket s : new ArrayList<>(open)) {
            s.abort(WSAENETDOWN);
        }
        Thread leaving = new Thread(leaveCatalog, "joinleaf-multicast-leave");
        leaving.setDaemon(true);
        leaving.start();
    }

    /**
     * Datagrams dropped for {@code reason} by all sockets since activation; for
     * {@link DropReason#KERNEL_RECEIVE_BUFFER}, what the kernel reports for the sockets open now.
     */
    long droppedDatagrams(DropReason reason) {
        return reason == DropReason.KERNEL_RECEIVE_BUFFER ? kernelDroppedDatagrams() : budget.dropped(reason);
    }

    /**
     * Datagrams the kernel dropped from the receive buffers of the open sockets' receiving channels, as Linux counts
     * them ({@link KernelDrops}; 0 elsewhere). The provider's own drops are {@link #droppedDatagrams(DropReason)}.
     */
    long kernelDroppedDatagrams() {
        List<InetSocketAddress> endpoints = new ArrayList<>();
        for (LeafSocket s : open) {
            InetSocketAddress e = s.receivingEndpoint();
            if (e != null) {
                endpoints.add(e);
            }
        }
        return endpoints.isEmpty() ? 0 : KernelDrops.of(endpoints);
    }

    /** Bytes all receive queues hold now. */
    long queuedBytes() {
        return budget.usedBytes();
    }

    /** The limits this activation derived or was given. */
    ReceiveLimits receiveLimits() {
        return settings.receiveLimits();
    }

    /** The I/O threads (for tests: their fault seam). */
    SelectorLoops loop() {
        return loops;
    }

    /** False once deactivated or given up. */
    boolean isActive() {
        return active;
    }

    /** Sockets not yet closed (for tests). */
    Set<LeafSocket> openSockets() {
        return Set.copyOf(open);
    }

    /** True while every I/O thread runs (for tests). */
    boolean isLoopAlive() {
        return loops.allAlive();
    }

    /** True while any I/O thread still runs (for tests: none may after deactivate). */
    boolean isAnyLoopAlive() {
        return loops.anyAlive();
    }

    // ProviderStatus (issue 15 item 4): drops per reason, the provider-wide receive budget, the I/O thread.

    @Override
    public Map<String, Long> drops() {
        Map<String, Long> out = new LinkedHashMap<>();
        if (budget != null) {
            for (DropReason r : DropReason.values()) {
                out.put(r.name(), droppedDatagrams(r));
            }
        }
        return out;
    }

    @Override
    public Map<String, Budget> budgets() {
        return budget == null ? Map.of()
                : Map.of("totalReceiveQueueBytes", new Budget(budget.usedBytes(), receiveLimits().totalBytes()));
    }

    @Override
    public List<String> stoppedIoThreads() {
        return loops == null ? List.of() : loops.stopped();
    }

    private static WsaException stopping() {
        return new WsaException(WSAENETDOWN, "the multicast provider is not active (stopped or not yet configured)");
    }
}
