package org.joinleaf.qos.admission;

import static org.joinleaf.api.Winsock2.WSA_QOS_ADMISSION_FAILURE;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.joinleaf.api.QOS;
import org.joinleaf.qos.FlowGrant;
import org.joinleaf.qos.QosRejectedException;
import org.joinleaf.qos.QosService;
import org.joinleaf.spi.config.ConfigValues;
import org.joinleaf.spi.config.LaterChange;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The {@link QosService}: checks flowspecs ({@link FlowspecRules}) and admits reserved flows against each scope's
 * capacity (rule Q10: CONTROLLEDLOAD and GUARANTEED reserve their TokenRate, BESTEFFORT and NOTRAFFIC nothing; a
 * refusal takes nothing). A reconfiguration applies to later admissions and renegotiations; admitted flows keep
 * their reservations, and a scope left over its new capacity admits no growth until enough is released.
 *
 * <p>Owns no thread. Grants outlive a deactivation harmlessly: releasing them only updates their scope's ledger.
 */
@Component(service = QosService.class, configurationPid = AdmissionControl.PID)
@Designate(ocd = QosConfig.class)
public final class AdmissionControl implements QosService {
    /** The Config Admin PID. */
    public static final String PID = "org.joinleaf.qos";

    // One entry per scope a provider names (its name, or name/interface): bounded by the deployment, not by traffic.
    private final ConcurrentHashMap<String, ScopeLedger> ledgers = new ConcurrentHashMap<>();
    private static final System.Logger LOG = System.getLogger(AdmissionControl.class.getName());

    private volatile QosPolicy policy;

    /** For DS; configured in {@link #activate}. */
    public AdmissionControl() {
    }

    /**
     * An activated instance without OSGi (benchmarks, plain-object tests of providers): the Metatype defaults
     * overridden by {@code overrides}, keyed by attribute name, for example {@code "scopeCapacities"} to a
     * {@code String[]}.
     */
    public static AdmissionControl configured(Map<String, ?> overrides) {
        AdmissionControl service = new AdmissionControl();
        service.activate(ConfigValues.of(QosConfig.class, overrides));
        return service;
    }

    @Activate
    void activate(QosConfig config) {
        policy = QosPolicy.from(config);
    }

    /** Applies live (admitted flows keep their reservations); a change with a bad value leaves the policy as it is. */
    @Modified
    void modified(QosConfig config) {
        policy = LaterChange.orPrevious(policy, () -> QosPolicy.from(config), LOG);
    }

    @Override
    public FlowGrant admit(String scope, QOS qos, int direction) throws QosRejectedException {
        Objects.requireNonNull(scope, "scope");
        ScopeLedger ledger = ledgers.computeIfAbsent(scope, s -> new ScopeLedger());
        return new Grant(this, scope, ledger, direction, reserve(scope, ledger, 0, qos, null, direction));
    }

    @Override
    public long remainingCapacity(String scope) {
        ScopeLedger ledger = ledgers.get(scope);
        return Math.max(0, policy.capacityOf(scope) - (ledger == null ? 0 : ledger.reserved()));
    }

    /** Evaluates {@code requested} and swaps {@code held} for its reservation, or throws having changed nothing. */
    FlowDemand reserve(String scope, ScopeLedger ledger, long held, QOS requested, QOS current, int direction)
            throws QosRejectedException {
        QosPolicy p = policy;
        FlowDemand demand = FlowspecRules.evaluate(requested, current, direction, p);
        long capacity = p.capacityOf(scope);
        if (!ledger.tryAdjust(held, demand.reservation(), capacity)) {
            long free = Math.max(0, capacity - ledger.reserved() + held);
            throw new QosRejectedException(WSA_QOS_ADMISSION_FAILURE, "scope '" + scope + "' has " + free + " of "
                    + capacity + " bytes/s free for CONTROLLEDLOAD/GUARANTEED flows and this one reserves "
                    + demand.reservation() + "; ask a lower TokenRate, use SERVICETYPE_BESTEFFORT, wait for flows"
                    + " to close, or raise the capacity (PID " + PID + ")");
        }
        return demand;
    }
}
