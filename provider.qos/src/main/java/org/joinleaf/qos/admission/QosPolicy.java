package org.joinleaf.qos.admission;

import static org.joinleaf.api.Winsock2.SERVICETYPE_BESTEFFORT;
import static org.joinleaf.api.Winsock2.SERVICETYPE_CONTROLLEDLOAD;
import static org.joinleaf.api.Winsock2.SERVICETYPE_GUARANTEED;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.joinleaf.spi.config.BadConfigurationException;
import org.joinleaf.spi.config.ConfigCheck;
import org.joinleaf.spi.config.ListValues;

/** A checked, immutable reading of {@link QosConfig}: what one admission decides against. */
final class QosPolicy {
    /** The largest ULONG that is a rate rather than a sentinel (0xFFFFFFFE is POSITIVE_INFINITY_RATE). */
    static final long LARGEST_RATE = 0xFFFFFFFDL;

    private static final Map<String, Integer> SERVICE_TYPES = Map.of("BESTEFFORT", SERVICETYPE_BESTEFFORT,
            "CONTROLLEDLOAD", SERVICETYPE_CONTROLLEDLOAD, "GUARANTEED", SERVICETYPE_GUARANTEED);

    final long defaultCapacity;
    final Map<String, Long> scopeCapacities;
    final long maxTokenRate;
    final long maxBucketSize;
    final Set<Integer> offeredServiceTypes;

    private QosPolicy(long defaultCapacity, Map<String, Long> scopeCapacities, long maxTokenRate, long maxBucketSize,
            Set<Integer> offeredServiceTypes) {
        this.defaultCapacity = defaultCapacity;
        this.scopeCapacities = Map.copyOf(scopeCapacities);
        this.maxTokenRate = maxTokenRate;
        this.maxBucketSize = maxBucketSize;
        this.offeredServiceTypes = Set.copyOf(offeredServiceTypes);
    }

    /**
     * Checks every value against its Metatype range, the scope entries and service type names, and names the bad
     * one, so that the log says what to fix.
     *
     * @throws BadConfigurationException for a value out of range, a malformed or repeated scope entry, or an unknown
     *             service type name
     */
    static QosPolicy from(QosConfig c) {
        ConfigCheck check = ConfigCheck.of(AdmissionControl.PID, c);
        Map<String, Long> capacities = new HashMap<>();
        for (String entry : ListValues.of(c.scopeCapacities())) {
            int eq = entry.lastIndexOf('=');
            String scope = eq < 0 ? "" : entry.substring(0, eq).trim();
            long capacity;
            try {
                capacity = Long.parseLong(entry.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                capacity = -1;
            }
            if (scope.isEmpty() || capacity < 0) {
                throw check.refuse("scopeCapacities", c.scopeCapacities(), "entry '" + entry
                        + "' is not 'scope=bytesPerSecond' with bytesPerSecond >= 0");
            }
            if (capacities.put(scope, capacity) != null) {
                throw check.refuse("scopeCapacities", c.scopeCapacities(), "names scope '" + scope + "' twice");
            }
        }
        Set<Integer> offered = new HashSet<>();
        for (String name : ListValues.of(c.offeredServiceTypes())) {
            String key = name.toUpperCase(Locale.ROOT).replaceFirst("^SERVICETYPE_", "");
            Integer type = SERVICE_TYPES.get(key);
            if (type == null) {
                throw check.refuse("offeredServiceTypes", c.offeredServiceTypes(), "'" + name + "' is not one of "
                        + SERVICE_TYPES.keySet());
            }
            offered.add(type);
        }
        return new QosPolicy(c.defaultCapacity(), capacities, c.maxTokenRate(), c.maxBucketSize(), offered);
    }

    /** Bytes per second that reserved flows of {@code scope} may hold together. */
    long capacityOf(String scope) {
        return scopeCapacities.getOrDefault(scope, defaultCapacity);
    }

    /** The offered type names, for messages. */
    String offeredNames() {
        StringBuilder names = new StringBuilder();
        SERVICE_TYPES.entrySet().stream().filter(e -> offeredServiceTypes.contains(e.getValue()))
                .map(Map.Entry::getKey).sorted().forEach(n -> names.append(names.length() == 0 ? "" : ", ").append(n));
        return "[" + names + "]";
    }
}
