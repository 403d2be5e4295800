package org.joinleaf.runtime;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.management.JMException;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.runtime.dto.ProviderDTO;
import org.joinleaf.runtime.dto.SocketDTO;
import org.joinleaf.runtime.jmx.ProviderTotals;
import org.joinleaf.spi.TransportProvider;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The live Winsock catalog (decisions 12): every registered {@link TransportProvider}, ordered by
 * {@code service.ranking} and then registration, each entry with a catalog id assigned here. Providers come and go
 * at any time (dynamic, greedy, multiple); when one leaves, every process is told so its sockets get
 * {@code FD_CLOSE}/{@code WSAENETDOWN}.
 */
@Component(service = ProviderCatalog.class)
@Designate(ocd = CatalogConfig.class)
public final class ProviderCatalog {
    /** The configuration PID: the component's name. */
    public static final String PID = "org.joinleaf.runtime.ProviderCatalog";
    /** The property naming the provider new sockets try first ({@link CatalogConfig#pinnedProvider()}). */
    public static final String PINNED_PROVIDER = "pinnedProvider";
    private static final System.Logger LOG = System.getLogger(ProviderCatalog.class.getName());
    /** Windows numbers catalog entries from 1001; ported code sometimes prints them. */
    private static final int FIRST_ENTRY_ID = 1001;

    private final AtomicInteger nextEntryId = new AtomicInteger(FIRST_ENTRY_ID);
    private final Object lock = new Object();
    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile List<ProviderRegistration> providers = List.of();
    /**
     * What was counted per provider name, kept while the catalog lives so counts survive a provider's restart; one
     * entry per name ever registered (names come from provider bundles, not from peers).
     */
    private final Map<String, ProviderTotals> totals = new ConcurrentHashMap<>();
    /** Set by DS activation only: plain catalogs (tests, benchmarks) stay off the platform MBeanServer. */
    private volatile boolean exportToJmx;
    /** {@code joinleaf.provider.name} of the provider WSASocket tries first, or empty. */
    private volatile String pinned = "";

    /** Told when a provider leaves. Implementations must not call back into the catalog's binding methods. */
    interface Listener {
        void providerGone(ProviderRegistration registration);
    }

    @Activate
    void activate(CatalogConfig config) {
        configure(config);
        activate();
    }

    /** A new configuration applies in place: the catalog, its processes and their sockets stay. */
    @Modified
    void configure(CatalogConfig config) {
        pin(config.pinnedProvider());
    }

    /** In the framework: every provider name, now and later, gets its MXBean (kept while the name is absent). */
    void activate() {
        exportToJmx = true;
        totals.values().forEach(ProviderCatalog::registerMBean);
    }

    /** True while the catalog's views are on the platform MBeanServer (activated by DS). */
    boolean exportsToJmx() {
        return exportToJmx;
    }

    @Deactivate
    void deactivate() {
        exportToJmx = false;
        totals.values().forEach(ProviderCatalog::unregisterMBean);
    }

    private static void registerMBean(ProviderTotals t) {
        try {
            t.register();
        } catch (JMException e) {
            LOG.log(Level.WARNING, "joinleaf: no JMX view of provider ''{0}'': {1}", t.getName(), e.toString());
        }
    }

    private static void unregisterMBean(ProviderTotals t) {
        try {
            t.unregister();
        } catch (JMException e) {
            LOG.log(Level.WARNING, "joinleaf: cannot unregister the JMX view of provider ''{0}'': {1}", t.getName(),
                    e.toString());
        }
    }

    @Reference(service = TransportProvider.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addProvider(TransportProvider provider, Map<String, Object> properties) {
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        Object id = properties.get(Constants.SERVICE_ID);
        Object name = properties.get(TransportProvider.PROVIDER_NAME);
        add(provider, name == null ? provider.getClass().getName() : name.toString(),
                ranking instanceof Integer ? (Integer) ranking : 0, id instanceof Long ? (Long) id : 0L);
    }

    void removeProvider(TransportProvider provider) {
        remove(provider);
    }

    /** Adds a provider; public for plain-object use in tests and benchmarks. */
    public void add(TransportProvider provider, String name, int ranking, long serviceId) {
        List<WSAPROTOCOL_INFO> protocols = provider.protocols(); // never call a provider under our lock
        boolean[] newName = new boolean[1];
        ProviderTotals named = totals.computeIfAbsent(name, n -> {
            newName[0] = true;
            return new ProviderTotals(n);
        });
        ProviderRegistration registration = new ProviderRegistration(provider, name, ranking, serviceId, named);
        List<CatalogEntry> entries = new ArrayList<>(protocols.size());
        for (WSAPROTOCOL_INFO p : protocols) {
            WSAPROTOCOL_INFO info = new WSAPROTOCOL_INFO(p);
            info.dwCatalogEntryId = nextEntryId.getAndIncrement();
            entries.add(new CatalogEntry(info, registration));
        }
        registration.entries = Collections.unmodifiableList(entries);
        synchronized (lock) {
            List<ProviderRegistration> next = new ArrayList<>(providers);
            next.add(registration);
            Collections.sort(next);
            providers = List.copyOf(next);
        }
        named.started(provider);
        LOG.log(Level.INFO, "joinleaf: {0} joined the catalog with {1} entries", registration, entries.size());
        if (exportToJmx && newName[0]) {
            registerMBean(named);
        }
    }

    /** Removes a provider; its sockets in every process are closed with {@code WSAENETDOWN}. */
    public void remove(TransportProvider provider) {
        ProviderRegistration removed = null;
        synchronized (lock) {
            List<ProviderRegistration> next = new ArrayList<>(providers);
            for (ProviderRegistration r : next) {
                if (r.provider == provider) {
                    removed = r;
                }
            }
            if (removed == null) {
                return;
            }
            next.remove(removed);
            providers = List.copyOf(next);
        }
        removed.gone = true;
        removed.totals.stopped(provider); // before the provider stops: what it counted is folded in
        LOG.log(Level.INFO, "joinleaf: {0} left the catalog; its sockets get FD_CLOSE with WSAENETDOWN", removed);
        for (Listener l : listeners) {
            l.providerGone(removed);
        }
    }

    /**
     * Makes WSASocket try {@code providerName}'s entries first for new sockets; null or empty unpins. A name no
     * registered provider has is kept: the pin takes effect when that provider arrives.
     */
    public void pin(String providerName) {
        String next = providerName == null ? "" : providerName.trim();
        if (!next.equals(pinned)) {
            pinned = next;
            LOG.log(Level.INFO, next.isEmpty() ? "joinleaf: new sockets use catalog order (no provider pinned)"
                    : "joinleaf: new sockets try provider '" + next + "' first");
        }
    }

    /** The pinned provider's name, or empty. */
    public String pinned() {
        return pinned;
    }

    /** Every entry in the order WSASocket tries them: the pinned provider's first, then catalog order. */
    List<CatalogEntry> selectionOrder() {
        String p = pinned;
        List<CatalogEntry> first = new ArrayList<>();
        List<CatalogEntry> rest = new ArrayList<>();
        for (ProviderRegistration r : providers) {
            (r.name.equals(p) ? first : rest).addAll(r.entries);
        }
        first.addAll(rest);
        return first;
    }

    /** Every entry, in catalog order. */
    List<CatalogEntry> entries() {
        List<CatalogEntry> all = new ArrayList<>();
        for (ProviderRegistration r : providers) {
            all.addAll(r.entries);
        }
        return all;
    }

    /** The registered providers, best first. */
    List<ProviderRegistration> registrations() {
        return providers;
    }

    /** What was counted per provider name, present or not (JMX, health check). */
    public List<ProviderTotals> totals() {
        return List.copyOf(totals.values());
    }

    /** The names of the providers in the catalog now, best first. */
    public List<String> presentNames() {
        return providers.stream().map(r -> r.name).distinct().toList();
    }

    /** The providers and their entries, best first: a snapshot for operators. */
    public List<ProviderDTO> providerDTOs() {
        List<ProviderDTO> out = new ArrayList<>();
        for (ProviderRegistration r : providers) {
            ProviderDTO p = new ProviderDTO();
            p.name = r.name;
            p.ranking = r.ranking;
            p.serviceId = r.serviceId;
            p.counters = r.counters.dto();
            p.entries = r.entries.stream().map(e -> e.dto()).collect(Collectors.toList());
            out.add(p);
        }
        return out;
    }

    /** The open sockets of every process (every bundle using a Winsock instance): a snapshot for operators. */
    public List<SocketDTO> socketDTOs() {
        List<SocketDTO> out = new ArrayList<>();
        for (Listener l : listeners) {
            if (l instanceof WinsockProcess) {
                out.addAll(((WinsockProcess) l).socketDTOs());
            }
        }
        return out;
    }

    void addListener(Listener l) {
        listeners.add(l);
    }

    void removeListener(Listener l) {
        listeners.remove(l);
    }
}
