package org.joinleaf.runtime.health;

import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import org.joinleaf.runtime.jmx.BudgetUse;
import org.joinleaf.runtime.jmx.ProviderTotals;
import org.osgi.framework.Bundle;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** The health checks, each a function of what it looks at, so each failure can be shown without a framework. */
final class Checks {
    static final String FRAMEWORK = "framework";
    static final String COMPONENTS = "components";
    static final String PROVIDERS = "providers";
    static final String IO_THREADS = "io-threads";
    static final String MEMORY = "memory";
    private static final String JOINLEAF_BUNDLES = "org.joinleaf.";

    private Checks() {
    }

    /** The system bundle is ACTIVE: started, and not stopping. */
    static CheckResult framework(int systemBundleState) {
        return systemBundleState == Bundle.ACTIVE ? CheckResult.ok(FRAMEWORK, "started")
                : CheckResult.failed(FRAMEWORK, "the framework is " + bundleState(systemBundleState));
    }

    /**
     * Every enabled component of a joinleaf bundle is active (or satisfied: a delayed component nobody uses yet), and
     * none waits for a required configuration.
     */
    static CheckResult components(Collection<ComponentDescriptionDTO> descriptions,
            Function<ComponentDescriptionDTO, Collection<ComponentConfigurationDTO>> configurations,
            Function<ComponentDescriptionDTO, Boolean> enabled) {
        List<String> problems = new ArrayList<>();
        int up = 0;
        for (ComponentDescriptionDTO d : descriptions) {
            if (!d.bundle.symbolicName.startsWith(JOINLEAF_BUNDLES) || !enabled.apply(d)) {
                continue;
            }
            Collection<ComponentConfigurationDTO> configs = configurations.apply(d);
            if (configs.isEmpty() && "require".equals(d.configurationPolicy)) {
                problems.add(d.name + " waits for its configuration");
            }
            for (ComponentConfigurationDTO c : configs) {
                if (c.state == ComponentConfigurationDTO.ACTIVE || c.state == ComponentConfigurationDTO.SATISFIED) {
                    up++;
                } else {
                    problems.add(d.name + " is " + componentState(c));
                }
            }
        }
        return problems.isEmpty() ? CheckResult.ok(COMPONENTS, up + " joinleaf components up")
                : CheckResult.failed(COMPONENTS, String.join("; ", problems) + " (scr:info <name>)");
    }

    /**
     * Every expected provider is in the catalog; with none expected, at least one is. An element may hold several
     * names separated by commas (a FileInstall .cfg gives a list as one string).
     */
    static CheckResult providers(List<String> present, String[] expected) {
        List<String> missing = new ArrayList<>();
        for (String element : expected) {
            for (String name : element.split(",")) {
                if (!name.isBlank() && !present.contains(name.trim())) {
                    missing.add(name.trim());
                }
            }
        }
        if (!missing.isEmpty()) {
            return CheckResult.failed(PROVIDERS, "missing " + missing + " (present: " + present
                    + "; joinleaf:providers lists failed components)");
        }
        return present.isEmpty() ? CheckResult.failed(PROVIDERS, "no provider in the catalog")
                : CheckResult.ok(PROVIDERS, "present: " + present);
    }

    /** No I/O thread (event loop) of a present provider has stopped. */
    static CheckResult ioThreads(List<ProviderTotals> providers) {
        List<String> stopped = new ArrayList<>();
        for (ProviderTotals p : providers) {
            for (String s : p.getStoppedIoThreads()) {
                stopped.add(p.getName() + ": " + s);
            }
        }
        return stopped.isEmpty() ? CheckResult.ok(IO_THREADS, "all running")
                : CheckResult.failed(IO_THREADS, String.join("; ", stopped));
    }

    /**
     * Every provider byte budget, and the heap as the last garbage collection left it, has at least
     * {@code minHeadroomPercent} free.
     */
    static CheckResult memory(List<ProviderTotals> providers, List<HeapPool> heap, int minHeadroomPercent) {
        List<String> short_ = new ArrayList<>();
        double least = 1;
        for (ProviderTotals p : providers) {
            for (BudgetUse b : p.getBudgets()) {
                least = Math.min(least, b.headroom());
                if (b.headroom() * 100 < minHeadroomPercent) {
                    short_.add(p.getName() + " " + b.getName() + " " + b.getUsedBytes() + " of " + b.getTotalBytes()
                            + " bytes used");
                }
            }
        }
        for (HeapPool pool : heap) {
            double headroom = pool.max <= 0 ? 1 : Math.max(0, pool.max - pool.usedAfterGc) / (double) pool.max;
            least = Math.min(least, headroom);
            if (headroom * 100 < minHeadroomPercent) {
                short_.add("heap pool '" + pool.name + "' " + pool.usedAfterGc + " of " + pool.max
                        + " bytes used after the last collection");
            }
        }
        String limit = " (least free " + Math.round(least * 100) + "%, needed " + minHeadroomPercent + "%)";
        return short_.isEmpty() ? CheckResult.ok(MEMORY, "every budget has room" + limit)
                : CheckResult.failed(MEMORY, String.join("; ", short_) + limit);
    }

    /** A heap pool as the last collection left it. */
    record HeapPool(String name, long usedAfterGc, long max) {
        /** The heap pools of this JVM that report what a collection left (old generation, tenured). */
        static List<HeapPool> ofThisJvm() {
            List<HeapPool> out = new ArrayList<>();
            for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
                MemoryUsage after = pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported()
                        ? pool.getCollectionUsage() : null;
                if (after != null && after.getMax() > 0 && !pool.getName().contains("Eden")
                        && !pool.getName().contains("Survivor")) {
                    out.add(new HeapPool(pool.getName(), after.getUsed(), after.getMax()));
                }
            }
            return out;
        }
    }

    private static String bundleState(int state) {
        switch (state) {
            case Bundle.STARTING: return "still starting";
            case Bundle.STOPPING: return "stopping";
            case Bundle.RESOLVED: return "stopped";
            default: return "in state " + state;
        }
    }

    private static String componentState(ComponentConfigurationDTO c) {
        switch (c.state) {
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE:
                List<String> missing = new ArrayList<>();
                for (var ref : c.unsatisfiedReferences) {
                    missing.add(ref.name);
                }
                return "missing references " + missing;
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION:
                return "waiting for its configuration";
            case ComponentConfigurationDTO.FAILED_ACTIVATION:
                return "failed to activate: " + c.failure;
            default:
                return "in state " + c.state;
        }
    }
}
