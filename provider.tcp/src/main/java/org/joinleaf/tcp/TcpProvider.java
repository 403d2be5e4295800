package org.joinleaf.tcp;

import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.api.Winsock2;
import org.joinleaf.qos.QosService;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.spi.ProviderStatus;
import org.joinleaf.spi.TransportProvider;
import org.joinleaf.spi.WsaException;
import org.joinleaf.spi.config.ConfigValues;
import org.joinleaf.spi.config.LaterChange;
import org.joinleaf.tcp.session.TcpSettings;
import org.joinleaf.tcp.session.TcpTransport;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The TCP multipoint provider: rooted control plane, with a rooted or a non-rooted (root-relayed) data plane, for
 * IPv4 and IPv6. A DS component, and a plain object too: {@code new TcpProvider()}, then
 * {@link #start(TcpSettings, QosEntriesPublisher)} and {@link #stop()} (tests, benchmarks).
 *
 * <p><b>Flowspec QoS</b> (§5) comes from an optional, dynamic, greedy reference to the {@link QosService}
 * (provider.qos). The runtime copies a provider's catalog entries when it binds the service and they must not change
 * while it is registered, so the entries are split in two, each with a fixed {@code protocols()}:
 * <ul>
 * <li>this service: the four entries without {@code XP1_QOS_SUPPORTED}, registered for the component's whole life.
 * Its sockets never depend on QoS: they keep working whatever the QoS service does; QoS joins other than best
 * effort fail with {@code WSAEOPNOTSUPP} and the QoS ioctls with {@code WSAENOPROTOOPT} (the runtime's rules).</li>
 * <li>{@link #qosEntries()}: the same four entries with {@code XP1_QOS_SUPPORTED}, registered as a second service
 * ({@value #QOS_PROVIDER_NAME}, one rank higher, so new sockets prefer it) exactly while a QoS service is bound.
 * When the QoS service leaves, that registration is withdrawn and, as for any provider that leaves (decisions 12),
 * the sockets created on it get {@code FD_CLOSE} with {@code WSAENETDOWN}: the QoS they were admitted with no
 * longer exists. A greedy swap to a better QoS service keeps the registration; later admissions use the new
 * service.</li>
 * </ul>
 * Both share one engine (event loops, sockets), hence one ProviderId.
 *
 * <p>Pitfall: a configuration change other than of the live settings ({@link #modified}) restarts the component (new
 * event loops, new catalog), so sockets of the old instance end with the runtime's {@code WSAENETDOWN}, as for any
 * provider that leaves.
 */
@Component(service = TransportProvider.class, configurationPid = TcpProvider.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = TransportProvider.PROVIDER_NAME + "=tcp") // service.ranking: TcpProviderConfig, the one place
@Designate(ocd = TcpProviderConfig.class)
public final class TcpProvider implements TransportProvider, ProviderStatus {
    /** Configuration PID. */
    public static final String PID = "org.joinleaf.tcp";
    /** The ProviderId of every catalog entry of this provider. */
    public static final UUID PROVIDER_ID = UUID.fromString("4a4c5450-7463-7020-6d75-6c7469706f69");
    /** Entry name of rooted control + rooted data. */
    public static final String ROOTED = "joinleaf tcp multipoint [rooted]";
    /** Entry name of rooted control + non-rooted (relayed) data. */
    public static final String RELAYED = "joinleaf tcp multipoint [rooted control, non-rooted data]";
    /** Appended to the entry names of the QoS-capable entries. */
    public static final String QOS_SUFFIX = " + QoS";
    /** {@link TransportProvider#PROVIDER_NAME} of the QoS-capable entries' service. */
    public static final String QOS_PROVIDER_NAME = "tcp+qos";

    /** XP1 bits of the rooted/rooted entry; the relayed entry lacks XP1_MULTIPOINT_DATA_PLANE. */
    public static final int XP1_ROOTED = Winsock2.XP1_SUPPORT_MULTIPOINT | Winsock2.XP1_MULTIPOINT_CONTROL_PLANE
            | Winsock2.XP1_MULTIPOINT_DATA_PLANE | Winsock2.XP1_CONNECT_DATA | Winsock2.XP1_GUARANTEED_DELIVERY
            | Winsock2.XP1_GUARANTEED_ORDER | Winsock2.XP1_MESSAGE_ORIENTED;

    private final QosEntries qosEntries = new QosEntries();
    private final Object qosLock = new Object();
    private static final System.Logger LOG = System.getLogger(TcpProvider.class.getName());

    /** Restarts this provider after a change that cannot apply live ({@link #restart}). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ServiceComponentRuntime scr;
    private volatile TcpTransport transport;
    /** The settings as configured (memory settings at 0 not yet derived), to compare a later change with. */
    private volatile TcpSettings configured;
    /** The ranking the catalog entries were registered with; a change of it restarts the provider. */
    private volatile int ranking = ConfigValues.defaults(TcpProviderConfig.class).service_ranking();
    private volatile List<WSAPROTOCOL_INFO> catalog = List.of();
    private volatile QosService qos;
    // Guarded by qosLock: where the QoS entries go (null: not started or stopping) and how to withdraw them.
    private QosEntriesPublisher publisher;
    private Runnable withdrawQosEntries;

    @Activate
    void activate(TcpProviderConfig config, BundleContext context) {
        ranking = config.service_ranking();
        int qosRanking = config.service_ranking() + 1;
        start(TcpSettings.from(config), entries -> register(context, entries, qosRanking));
        LOG.log(System.Logger.Level.INFO, "TCP multipoint provider started on " + transport.ioTransport()
                + " (transport=" + config.transport() + ")");
    }

    /**
     * A later configuration change (issue 15 item 3). A refused value keeps the settings in force, with one line
     * naming PID, key, value and rule. A change of {@link TcpSettings#LIVE} settings only (rate limits, caps, join
     * deadlines, TLS stores for new connections) applies to the running transport and keeps every session; any
     * other change restarts the provider (DS disables and enables it: sockets get {@code WSAENETDOWN}, decision 12).
     * README, "Configuration", lists which is which.
     */
    @Modified
    void modified(ComponentContext context, TcpProviderConfig config) {
        TcpSettings current = configured;
        TcpSettings next = LaterChange.orPrevious(current, () -> TcpSettings.from(config), LOG);
        if (next == current || (next.equals(current) && config.service_ranking() == ranking)) {
            return;
        }
        if (current.changesOnlyLive(next) && config.service_ranking() == ranking) {
            try {
                transport.applyLive(next);
                configured = next;
                LOG.log(System.Logger.Level.INFO, "configuration " + PID + " applied live; sessions stay open");
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, "configuration " + PID + " refused (" + e.getMessage() + ")"
                        + LaterChange.KEPT);
            }
            return;
        }
        restart(context);
    }

    /**
     * Restarts this component through Declarative Services: disabled, and enabled again once the disabling is done,
     * so that it activates afresh with the configuration in force.
     */
    private void restart(ComponentContext context) {
        ServiceComponentRuntime runtime = scr;
        String name = String.valueOf(context.getProperties().get(ComponentConstants.COMPONENT_NAME));
        ComponentDescriptionDTO d = runtime == null ? null
                : runtime.getComponentDescriptionDTO(context.getBundleContext().getBundle(), name);
        LaterChange.restart(PID, d == null ? null : () -> runtime.disableComponent(d).getValue(),
                () -> runtime.enableComponent(d), LOG);
    }

    private static Runnable register(BundleContext context, TransportProvider entries, int ranking) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(TransportProvider.PROVIDER_NAME, QOS_PROVIDER_NAME);
        props.put(Constants.SERVICE_RANKING, ranking);
        ServiceRegistration<TransportProvider> registration =
                context.registerService(TransportProvider.class, entries, props);
        return () -> {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping and the framework already unregistered it
            }
        };
    }

    /** {@link #start(TcpSettings, QosEntriesPublisher)} without QoS-capable entries. */
    public void start(TcpSettings settings) {
        start(settings, null);
    }

    /**
     * Starts the event loops and builds the catalog (what {@code @Activate} does, without OSGi).
     *
     * @throws IllegalArgumentException when the TLS settings name a store that cannot be used, or the memory
     *                                  settings do not fit this JVM (the message names the setting)
     *
     * @param publisher where the QoS-capable entries go while a QoS service is bound; {@code null}: nowhere
     */
    public void start(TcpSettings settings, QosEntriesPublisher publisher) {
        transport = new TcpTransport(settings, () -> qos); // first: bad TLS stores fail before anything is published
        configured = settings;
        catalog = entries(settings, 0, "");
        qosEntries.catalog = entries(settings, Winsock2.XP1_QOS_SUPPORTED, QOS_SUFFIX);
        synchronized (qosLock) {
            this.publisher = publisher;
            syncQosEntries();
        }
    }

    /**
     * Withdraws the QoS-capable entries, closes every socket and stops the event loops within 3 s (what
     * {@code @Deactivate} does).
     */
    @Deactivate
    public void stop() {
        synchronized (qosLock) {
            publisher = null;
            syncQosEntries();
        }
        TcpTransport t = transport;
        transport = null;
        if (t != null) {
            t.shutdown(3000);
        }
    }

    /** A QoS service arrived, or replaced a worse one (greedy): later admissions use it. */
    @Reference(service = QosService.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindQos")
    public void bindQos(QosService service) {
        synchronized (qosLock) {
            qos = service;
            syncQosEntries();
        }
    }

    /** A QoS service left; only when it is the one in use does QoS go away (a greedy swap binds first). */
    public void unbindQos(QosService service) {
        synchronized (qosLock) {
            if (qos == service) {
                qos = null;
                syncQosEntries();
            }
        }
    }

    /**
     * Publishes the QoS entries while started with a QoS service, withdraws them otherwise. Holding qosLock orders
     * concurrent binds; the runtime's catalog only reads {@code protocols()} and closes sockets, never needing it.
     */
    private void syncQosEntries() {
        boolean wanted = publisher != null && qos != null;
        if (wanted && withdrawQosEntries == null) {
            withdrawQosEntries = publisher.publish(qosEntries);
        } else if (!wanted && withdrawQosEntries != null) {
            Runnable withdraw = withdrawQosEntries;
            withdrawQosEntries = null;
            withdraw.run();
        }
    }

    @Override
    public List<WSAPROTOCOL_INFO> protocols() {
        return catalog;
    }

    @Override
    public ProviderSocket socket(WSAPROTOCOL_INFO entry, int dwFlags, SocketUpcalls upcalls) throws WsaException {
        TcpTransport t = transport;
        if (t == null) {
            throw new WsaException(Winsock2.WSAENETDOWN, "the TCP multipoint provider is not active");
        }
        return t.open(entry.iAddressFamily, entry.has(Winsock2.XP1_MULTIPOINT_DATA_PLANE),
                entry.has(Winsock2.XP1_QOS_SUPPORTED), dwFlags, upcalls);
    }

    /**
     * The QoS-capable entries as a provider of their own (same engine, entries with {@code XP1_QOS_SUPPORTED}).
     * Published through the {@link QosEntriesPublisher} only while a QoS service is bound.
     */
    public TransportProvider qosEntries() {
        return qosEntries;
    }

    // ProviderStatus (issue 15 item 4): the engine's limits, peer events, budgets and event loops, for JMX and the
    // health check. The QoS-capable face shares the engine and does not repeat them.

    @Override
    public Map<String, Long> refusals() {
        TcpTransport t = transport;
        return t == null ? Map.of() : t.counters().limitCounts();
    }

    @Override
    public Map<String, Long> peerEvents() {
        TcpTransport t = transport;
        return t == null ? Map.of() : t.counters().peerEventCounts();
    }

    @Override
    public Map<String, Budget> budgets() {
        TcpTransport t = transport;
        return t == null ? Map.of() : t.budgets();
    }

    @Override
    public List<String> stoppedIoThreads() {
        TcpTransport t = transport;
        return t == null ? List.of("the TCP provider is not started") : t.stoppedEventLoops();
    }

    /** The running engine, or {@code null} when stopped (tests, benchmarks). */
    public TcpTransport transport() {
        return transport;
    }

    private static List<WSAPROTOCOL_INFO> entries(TcpSettings settings, int extraFlags, String suffix) {
        return List.of(entry(Winsock2.AF_INET, true, settings, extraFlags, suffix),
                entry(Winsock2.AF_INET6, true, settings, extraFlags, suffix),
                entry(Winsock2.AF_INET, false, settings, extraFlags, suffix),
                entry(Winsock2.AF_INET6, false, settings, extraFlags, suffix));
    }

    private static WSAPROTOCOL_INFO entry(int family, boolean rootedData, TcpSettings settings, int extraFlags,
                                          String suffix) {
        WSAPROTOCOL_INFO e = new WSAPROTOCOL_INFO();
        e.ProviderId = PROVIDER_ID;
        e.dwServiceFlags1 = (rootedData ? XP1_ROOTED : XP1_ROOTED & ~Winsock2.XP1_MULTIPOINT_DATA_PLANE) | extraFlags;
        e.dwProviderFlags = Winsock2.PFL_MULTIPLE_PROTO_ENTRIES | (rootedData ? Winsock2.PFL_RECOMMENDED_PROTO_ENTRY : 0);
        e.iAddressFamily = family;
        int size = family == Winsock2.AF_INET6 ? SOCKADDR.SIZEOF_SOCKADDR_IN6 : SOCKADDR.SIZEOF_SOCKADDR_IN;
        e.iMaxSockAddr = size;
        e.iMinSockAddr = size;
        e.iSocketType = Winsock2.SOCK_STREAM;
        e.iProtocol = Winsock2.IPPROTO_TCP;
        e.iNetworkByteOrder = 0;
        e.dwMessageSize = settings.maxMessageSize();
        e.szProtocol = (rootedData ? ROOTED : RELAYED) + suffix;
        return e;
    }

    /** The second face of this provider: same engine, entries that advertise XP1_QOS_SUPPORTED. */
    private final class QosEntries implements TransportProvider {
        private volatile List<WSAPROTOCOL_INFO> catalog = List.of();

        @Override
        public List<WSAPROTOCOL_INFO> protocols() {
            return catalog;
        }

        @Override
        public ProviderSocket socket(WSAPROTOCOL_INFO entry, int dwFlags, SocketUpcalls upcalls)
                throws WsaException {
            return TcpProvider.this.socket(entry, dwFlags, upcalls);
        }
    }
}
