package org.joinleaf.runtime.defaultprovider;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.DatagramBudget;
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
 * The default transport provider: what Windows CE's built-in TCP/IP stack offers. Real TCP and UDP sockets over
 * {@code java.nio} for IPv4 and IPv6, served by one selector thread. It does not support {@code WSAJoinLeaf}: none of
 * its sockets is a {@code MultipointSocket}, so the runtime fails every join on them with
 * {@code WSASYSCALLFAILURE} (§3 R38, decisions 1). It has the lowest possible ranking, so any other provider's
 * matching entry wins.
 *
 * <p>Pitfalls: configuration changes restart the component (the runtime then fails its open sockets with
 * {@code WSAENETDOWN}); deactivation closes every socket and waits at most {@value #SHUTDOWN_MILLIS} ms for the I/O
 * thread.
 */
@Component(service = TransportProvider.class, configurationPid = DefaultProvider.PID,
        property = TransportProvider.PROVIDER_NAME + "=default") // service.ranking: DefaultProviderConfig, the one place
@Designate(ocd = DefaultProviderConfig.class)
public final class DefaultProvider implements TransportProvider, ProviderStatus {
    /** The configuration PID. */
    public static final String PID = "org.joinleaf.default";
    static final long SHUTDOWN_MILLIS = 2000;
    private static final System.Logger LOG = System.getLogger(DefaultProvider.class.getName());

    private final List<WSAPROTOCOL_INFO> protocols = DefaultCatalog.entries();
    private SocketResources resources;

    /** How this provider leaves the catalog when its I/O thread cannot go on; nothing outside OSGi. */
    private Runnable leaveCatalog = () -> { };
    /** Restarts this provider after a change that cannot apply live. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ServiceComponentRuntime scr;

    /**
     * The DS activation: {@link #activate(DefaultProviderConfig)}, and a way to leave the catalog. Named apart from
     * {@code activate}: SCR prefers a lone component property type parameter to this pair (DS 1.3, 112.5.8).
     */
    @Activate
    void start(ComponentContext context, DefaultProviderConfig config) {
        String name = String.valueOf(context.getProperties().get(ComponentConstants.COMPONENT_NAME));
        leaveCatalog = () -> context.disableComponent(name);
        activate(config);
    }

    /**
     * A later change is checked before anything stops: a refused value leaves the provider running as it is (one
     * line names PID, key, value and rule); a good change restarts it, since every setting here shapes sockets as
     * they are made (open sockets get {@code WSAENETDOWN}, decision 12).
     */
    @Modified
    void modified(ComponentContext context, DefaultProviderConfig config) {
        if (LaterChange.orPrevious(null, () -> DefaultSettings.of(config), LOG) != null) {
            restart(context);
        }
    }

    /** Restarts this component through Declarative Services (disabled, then enabled with the configuration in force). */
    private void restart(ComponentContext context) {
        ServiceComponentRuntime runtime = scr;
        String name = String.valueOf(context.getProperties().get(ComponentConstants.COMPONENT_NAME));
        ComponentDescriptionDTO d = runtime == null ? null
                : runtime.getComponentDescriptionDTO(context.getBundleContext().getBundle(), name);
        LaterChange.restart(PID, d == null ? null : () -> runtime.disableComponent(d).getValue(),
                () -> runtime.enableComponent(d), LOG);
    }

    /** Activation as a plain object: limits checked (a limit that cannot fit fails, naming it), loop started. */
    void activate(DefaultProviderConfig config) {
        activate(config, Runtime.getRuntime().maxMemory());
    }

    /** {@link #activate(DefaultProviderConfig)} as if the heap could grow to {@code maxHeapBytes}. */
    void activate(DefaultProviderConfig config, long maxHeapBytes) {
        DefaultSettings limits = DefaultSettings.of(config, maxHeapBytes);
        OpenSockets open = new OpenSockets(config.maxSockets());
        // Sockets closed but not yet seen by the loop may still be queued: room for twice the limit.
        IoLoop loop = new IoLoop(2 * config.maxSockets() + 16, () -> giveUp(open));
        resources = new SocketResources(loop, limits, open, new DatagramBudget<>(DropReason.class, limits.totalReceiveBytes()));
    }

    /**
     * The I/O thread cannot select any more: every socket gets {@code FD_CLOSE} with {@code WSAENETDOWN} and is
     * closed, new sockets are refused, and the component disables itself, which unregisters it from the catalog. The
     * disable runs on its own thread: it deactivates this provider, which must not wait for the thread calling it.
     */
    private void giveUp(OpenSockets open) {
        open.closeAll(Winsock2.WSAENETDOWN);
        Thread leaving = new Thread(leaveCatalog, "joinleaf-default-leave");
        leaving.setDaemon(true);
        leaving.start();
    }

    /** What one activation shares (for tests). */
    SocketResources resources() {
        return resources;
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        resources.open().closeAll();
        if (!resources.loop().shutdown(SHUTDOWN_MILLIS)) {
            LOG.log(System.Logger.Level.WARNING, IoLoop.THREAD_NAME + " did not stop within " + SHUTDOWN_MILLIS
                    + " ms; it exits after its current I/O call");
        }
    }

    // ProviderStatus (issue 15 item 4): datagrams dropped per reason, the provider-wide receive budget, the I/O thread.

    @Override
    public Map<String, Long> drops() {
        SocketResources r = resources;
        Map<String, Long> out = new LinkedHashMap<>();
        if (r != null) {
            for (DropReason d : DropReason.values()) {
                out.put(d.name(), r.budget().dropped(d));
            }
        }
        return out;
    }

    @Override
    public Map<String, Budget> budgets() {
        SocketResources r = resources;
        return r == null ? Map.of()
                : Map.of("totalReceiveBytes", new Budget(r.budget().usedBytes(), r.budget().totalBytes()));
    }

    @Override
    public List<String> stoppedIoThreads() {
        SocketResources r = resources;
        return r == null || r.loop().isAlive() ? List.of() : List.of(IoLoop.THREAD_NAME + " has stopped");
    }

    @Override
    public List<WSAPROTOCOL_INFO> protocols() {
        return protocols.stream().map(WSAPROTOCOL_INFO::new).toList();
    }

    @Override
    public ProviderSocket socket(WSAPROTOCOL_INFO entry, int dwFlags, SocketUpcalls upcalls) throws WsaException {
        if (entry.iSocketType == Winsock2.SOCK_STREAM) {
            return TcpSocket.open(resources, Channels.family(entry.iAddressFamily), upcalls);
        }
        if (entry.iSocketType == Winsock2.SOCK_DGRAM) {
            return UdpSocket.open(resources, Channels.family(entry.iAddressFamily), upcalls);
        }
        throw new WsaException(Winsock2.WSAESOCKTNOSUPPORT,
                "the default provider serves only TCP and UDP entries, not " + entry);
    }
}
