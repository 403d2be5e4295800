package org.joinleaf.local;

import java.util.List;
import java.util.Map;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.api.Winsock2;
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
 * The in-JVM multipoint provider: rooted and non-rooted sessions between sockets of one JVM over a virtual loopback
 * address space, without OS sockets (like Netty's LocalChannel). Its catalog is {@link LocalCatalog}; a
 * configuration change applies live or restarts it, which closes every socket it made ({@link #modified}).
 */
@Component(service = TransportProvider.class, configurationPid = LocalConfig.PID,
        property = TransportProvider.PROVIDER_NAME + "=local") // service.ranking etc. come from LocalConfig defaults
@Designate(ocd = LocalConfig.class)
public final class LocalProvider implements TransportProvider, ProviderStatus {
    private static final System.Logger LOG = System.getLogger(LocalProvider.class.getName());

    /** Restarts this provider after a change that cannot apply live. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ServiceComponentRuntime scr;
    private volatile LocalNetwork network;
    private volatile List<WSAPROTOCOL_INFO> protocols = List.of();

    @Activate
    void activate(LocalConfig config) {
        start(LocalSettings.from(config));
    }

    /**
     * A later configuration change. A refused value keeps the settings in force (one line says why); a change of
     * joinTimeoutMillis, maxConnectData, receiveQueueMessages, slowLeafPolicy or service.ranking applies live to
     * later joins, sends and new sockets, sessions stay open; any other change restarts the provider (DS disables
     * and enables it), which closes its sockets (README, "Configuration").
     */
    @Modified
    void modified(ComponentContext context, LocalConfig config) {
        LocalNetwork n = network;
        LocalSettings current = n.settings;
        LocalSettings next = LaterChange.orPrevious(current, () -> LocalSettings.from(config), LOG);
        if (next == current) {
            return;
        }
        if (next.maxMessageSize() == current.maxMessageSize()
                && next.receiveLimits().equals(current.receiveLimits())) {
            n.settings = next;
        } else {
            restart(context);
        }
    }

    /** Restarts this component through Declarative Services (disabled, then enabled with the configuration in force). */
    private void restart(ComponentContext context) {
        ServiceComponentRuntime runtime = scr;
        String name = String.valueOf(context.getProperties().get(ComponentConstants.COMPONENT_NAME));
        ComponentDescriptionDTO d = runtime == null ? null
                : runtime.getComponentDescriptionDTO(context.getBundleContext().getBundle(), name);
        LaterChange.restart(LocalConfig.PID, d == null ? null : () -> runtime.disableComponent(d).getValue(),
                () -> runtime.enableComponent(d), LOG);
    }

    /** Starts a fresh virtual network with {@code settings}. */
    void start(LocalSettings settings) {
        protocols = LocalCatalog.entries(settings.maxMessageSize());
        network = new LocalNetwork(settings);
    }

    /** Closes every socket silently (the runtime posts {@code WSAENETDOWN}) and stops the timer thread. */
    @Deactivate
    void deactivate() {
        LocalNetwork n = network;
        if (n != null) {
            n.shutdown();
        }
    }

    // ProviderStatus (issue 15 item 4): datagrams lost to full queues, leaves evicted as slow, upcall failures, the
    // provider-wide receive budget and the join-timeout thread.

    @Override
    public Map<String, Long> refusals() {
        LocalNetwork n = network;
        return n == null ? Map.of() : Map.of("SLOW_LEAF", n.evictedLeaves());
    }

    @Override
    public Map<String, Long> drops() {
        LocalNetwork n = network;
        return n == null ? Map.of() : Map.of("RECEIVE_QUEUE_FULL", n.droppedDatagrams());
    }

    @Override
    public Map<String, Long> peerEvents() {
        LocalNetwork n = network;
        return n == null ? Map.of() : Map.of("FAILURE", n.failures());
    }

    @Override
    public Map<String, Budget> budgets() {
        LocalNetwork n = network;
        return n == null ? Map.of() : Map.of("totalReceiveQueueBytes",
                new Budget(n.budget.usedBytes(), n.settings.receiveLimits().totalBytes()));
    }

    @Override
    public List<String> stoppedIoThreads() {
        LocalNetwork n = network;
        return n != null && n.timerStopped() ? List.of("joinleaf-local-join-timeouts has stopped") : List.of();
    }

    LocalNetwork network() {
        return network;
    }

    @Override
    public List<WSAPROTOCOL_INFO> protocols() {
        return protocols;
    }

    @Override
    public ProviderSocket socket(WSAPROTOCOL_INFO entry, int dwFlags, SocketUpcalls upcalls) throws WsaException {
        LocalNetwork n = network;
        if (n == null) {
            throw new WsaException(Winsock2.WSAENETDOWN, "the local provider is not active");
        }
        SessionKind kind = SessionKind.of(entry);
        int family = entry.iAddressFamily;
        if (kind == SessionKind.MULTICAST) {
            return n.register(new MulticastSocket(n, family, upcalls));
        }
        if ((dwFlags & Winsock2.WSA_FLAG_MULTIPOINT_C_ROOT) != 0) {
            return n.register(new RootSocket(n, kind, family, upcalls));
        }
        if ((dwFlags & Winsock2.WSA_FLAG_MULTIPOINT_C_LEAF) != 0) {
            return n.register(new LeafSocket(n, kind, family, upcalls));
        }
        throw new WsaException(Winsock2.WSAEINVAL, "'" + entry.szProtocol + "' makes only multipoint sockets: pass "
                + "WSA_FLAG_MULTIPOINT_C_ROOT or WSA_FLAG_MULTIPOINT_C_LEAF with a D flag");
    }
}
