package org.joinleaf.runtime.jmx;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.joinleaf.runtime.Counters;
import org.joinleaf.spi.ProviderStatus;

/**
 * Everything counted for one provider name, kept by the runtime across restarts of that provider (issue 15 item 4):
 * the runtime's {@link Counters}, shared by every instance of the name, and the provider's own
 * {@link ProviderStatus} counts, folded in when an instance leaves so that the next one continues from them. It is
 * also that name's MXBean. Thread-safe: the folds and the list of present instances are guarded by this object;
 * counts are read without the lock from the instances themselves.
 */
public final class ProviderTotals implements ProviderMXBean {
    private final String name;
    private final Counters counters = new Counters();
    private final long countingSince = System.currentTimeMillis();
    private final ObjectName objectName;
    // Guarded by this: what finished instances counted, the instances present now, and when the newest started.
    private final Map<String, Long> refusalsBefore = new TreeMap<>();
    private final Map<String, Long> dropsBefore = new TreeMap<>();
    private final Map<String, Long> peerEventsBefore = new TreeMap<>();
    private final List<Object> present = new ArrayList<>();
    private long startedAt;
    private int starts;

    public ProviderTotals(String name) {
        this.name = name;
        this.objectName = objectName(name);
    }

    /** {@code org.joinleaf:type=Provider,name=<name>}, the name quoted only when it must be. */
    public static ObjectName objectName(String providerName) {
        String value = providerName.matches("[\\w.+\\-/ ]+") ? providerName : ObjectName.quote(providerName);
        try {
            return new ObjectName("org.joinleaf:type=Provider,name=" + value);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("no JMX name for provider '" + providerName + "'", e);
        }
    }

    public ObjectName objectName() {
        return objectName;
    }

    /** The runtime's counters of this name, shared by each of its instances. */
    public Counters counters() {
        return counters;
    }

    /** An instance of this name joined the catalog. */
    public synchronized void started(Object provider) {
        present.add(provider);
        starts++;
        startedAt = System.currentTimeMillis();
    }

    /** An instance left: what it counted is kept, the next instance's counts add to it. */
    public synchronized void stopped(Object provider) {
        if (!present.remove(provider) || !(provider instanceof ProviderStatus status)) {
            return;
        }
        addTo(refusalsBefore, read(status, ProviderStatus::refusals));
        addTo(dropsBefore, read(status, ProviderStatus::drops));
        addTo(peerEventsBefore, read(status, ProviderStatus::peerEvents));
    }

    /** Registers this MXBean on the platform MBeanServer, replacing a stale one of the same name. */
    public void register() throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        if (server.isRegistered(objectName)) {
            server.unregisterMBean(objectName);
        }
        server.registerMBean(this, objectName);
    }

    public void unregister() throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        if (server.isRegistered(objectName)) {
            server.unregisterMBean(objectName);
        }
    }

    /** The instances present now that offer a {@link ProviderStatus}. */
    public synchronized List<ProviderStatus> statuses() {
        List<ProviderStatus> out = new ArrayList<>();
        for (Object p : present) {
            if (p instanceof ProviderStatus s) {
                out.add(s);
            }
        }
        return out;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public synchronized boolean isPresent() {
        return !present.isEmpty();
    }

    @Override
    public Date getCountingSince() {
        return new Date(countingSince);
    }

    @Override
    public synchronized Date getStartedAt() {
        return present.isEmpty() ? null : new Date(startedAt);
    }

    @Override
    public synchronized int getStarts() {
        return starts;
    }

    @Override
    public long getJoinsAttempted() {
        return counters.joinsAttempted();
    }

    @Override
    public long getJoinsAccepted() {
        return counters.joinsAccepted();
    }

    @Override
    public long getJoinsRefused() {
        return counters.joinsRefused();
    }

    @Override
    public long getBytesIn() {
        return counters.bytesIn();
    }

    @Override
    public long getBytesOut() {
        return counters.bytesOut();
    }

    @Override
    public long getMessagesIn() {
        return counters.messagesIn();
    }

    @Override
    public long getMessagesOut() {
        return counters.messagesOut();
    }

    @Override
    public long getEvictions() {
        return counters.evictions();
    }

    @Override
    public List<Count> getErrors() {
        return counts(counters.errorsByName());
    }

    @Override
    public List<Count> getRefusals() {
        return total(refusalsBefore, ProviderStatus::refusals);
    }

    @Override
    public List<Count> getDrops() {
        return total(dropsBefore, ProviderStatus::drops);
    }

    @Override
    public List<Count> getPeerEvents() {
        return total(peerEventsBefore, ProviderStatus::peerEvents);
    }

    @Override
    public List<BudgetUse> getBudgets() {
        List<BudgetUse> out = new ArrayList<>();
        for (ProviderStatus s : statuses()) {
            read(s, ProviderStatus::budgets).forEach((setting, b) ->
                    out.add(new BudgetUse(setting, b.usedBytes(), b.totalBytes())));
        }
        return out;
    }

    @Override
    public List<String> getStoppedIoThreads() {
        List<String> out = new ArrayList<>();
        for (ProviderStatus s : statuses()) {
            try {
                out.addAll(s.stoppedIoThreads());
            } catch (RuntimeException e) {
                out.add("cannot tell: " + e);
            }
        }
        return out;
    }

    /** Counts of finished instances plus those of the present ones. */
    private List<Count> total(Map<String, Long> before, Function<ProviderStatus, Map<String, Long>> what) {
        Map<String, Long> sum;
        synchronized (this) {
            sum = new TreeMap<>(before);
        }
        for (ProviderStatus s : statuses()) {
            addTo(sum, read(s, what));
        }
        return counts(sum);
    }

    private static <V> Map<String, V> read(ProviderStatus s, Function<ProviderStatus, Map<String, V>> what) {
        try {
            Map<String, V> m = what.apply(s);
            return m == null ? Map.of() : new LinkedHashMap<>(m);
        } catch (RuntimeException e) { // a provider's bug must not break JMX or the health check
            return Map.of();
        }
    }

    private static void addTo(Map<String, Long> sum, Map<String, Long> more) {
        more.forEach((k, v) -> sum.merge(k, v == null ? 0 : v, Long::sum));
    }

    private static List<Count> counts(Map<String, Long> map) {
        List<Count> out = new ArrayList<>(map.size());
        map.forEach((k, v) -> out.add(new Count(k, v)));
        return out;
    }
}
