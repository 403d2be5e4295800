package org.joinleaf.runtime.health;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.felix.service.command.Descriptor;
import org.joinleaf.runtime.ProviderCatalog;
import org.joinleaf.runtime.jmx.ProviderTotals;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The gateway's health check (issue 15 item 4): framework started, every joinleaf component up, the expected providers
 * in the catalog, their I/O threads running, room in every byte budget and in the heap. Read on JMX as
 * {@code org.joinleaf:type=Health} and in the shell as {@code joinleaf:health}; every read checks again (each check
 * only reads counters and DTOs: no I/O, no lock a provider holds).
 */
@Component(service = Health.class, immediate = true, configurationPid = Health.PID,
        property = {"osgi.command.scope=joinleaf", "osgi.command.function=health"})
@Designate(ocd = HealthConfig.class)
public final class Health implements HealthMXBean {
    /** The configuration PID. */
    public static final String PID = "org.joinleaf.health";
    /** The MXBean's name. */
    public static final String OBJECT_NAME = "org.joinleaf:type=Health";
    private static final System.Logger LOG = System.getLogger(Health.class.getName());

    private final BundleContext context;
    private final ServiceComponentRuntime scr;
    private final ProviderCatalog catalog;
    private final ObjectName name;
    private volatile HealthConfig config;

    @Activate
    public Health(BundleContext context, @Reference ServiceComponentRuntime scr, @Reference ProviderCatalog catalog,
            HealthConfig config) throws JMException {
        this.context = context;
        this.scr = scr;
        this.catalog = catalog;
        this.config = config;
        this.name = new ObjectName(OBJECT_NAME);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        if (server.isRegistered(name)) {
            server.unregisterMBean(name);
        }
        server.registerMBean(this, name);
    }

    @Modified
    void modified(HealthConfig next) {
        config = next;
    }

    @Deactivate
    void deactivate() {
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (JMException e) {
            LOG.log(System.Logger.Level.WARNING, "joinleaf: cannot unregister " + OBJECT_NAME + ": " + e);
        }
    }

    /** Every check, now. */
    public List<CheckResult> check() {
        HealthConfig c = config;
        List<ProviderTotals> present = new ArrayList<>();
        for (ProviderTotals t : catalog.totals()) {
            if (t.isPresent()) {
                present.add(t);
            }
        }
        return List.of(Checks.framework(context.getBundle(0).getState()),
                Checks.components(scr.getComponentDescriptionDTOs(), scr::getComponentConfigurationDTOs,
                        scr::isComponentEnabled),
                Checks.providers(catalog.presentNames(), c.expectedProviders()),
                Checks.ioThreads(present),
                Checks.memory(present, Checks.HeapPool.ofThisJvm(), c.minHeadroomPercent()));
    }

    /** The shell command: the verdict, then one line per check. */
    @Descriptor("check the gateway's health: framework, joinleaf components, providers, I/O threads, memory budgets")
    public String health() {
        List<CheckResult> checks = check();
        StringBuilder out = new StringBuilder(status(checks));
        for (CheckResult r : checks) {
            out.append('\n').append("  ").append(r);
        }
        return out.toString();
    }

    @Override
    public String getStatus() {
        return status(check());
    }

    @Override
    public List<String> getProblems() {
        List<String> out = new ArrayList<>();
        for (CheckResult r : check()) {
            if (!r.isOk()) {
                out.add(r.getName() + ": " + r.getDetail());
            }
        }
        return out;
    }

    @Override
    public List<CheckResult> getChecks() {
        return check();
    }

    static String status(List<CheckResult> checks) {
        return checks.stream().allMatch(CheckResult::isOk) ? "OK" : "CRITICAL";
    }
}
