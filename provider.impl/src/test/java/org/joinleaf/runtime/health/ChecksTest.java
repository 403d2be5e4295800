package org.joinleaf.runtime.health;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import org.joinleaf.runtime.health.Checks.HeapPool;
import org.joinleaf.runtime.jmx.ProviderTotals;
import org.joinleaf.spi.ProviderStatus;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.dto.BundleDTO;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/** Issue 15 item 4: the health check, each failure it covers shown failing, and passing when all is well. */
public class ChecksTest {

    // issue 15 item 4: framework started
    @Test
    public void frameworkFailsUnlessActive() {
        assertTrue(Checks.framework(Bundle.ACTIVE).isOk());
        CheckResult starting = Checks.framework(Bundle.STARTING);
        assertFalse(starting.isOk());
        assertEquals("the framework is still starting", starting.getDetail());
        assertFalse(Checks.framework(Bundle.STOPPING).isOk());
    }

    // issue 15 item 4: every joinleaf component active (failed activation, missing reference, missing configuration)
    @Test
    public void componentsFailOnAFailedUnsatisfiedOrUnconfiguredJoinleafComponent() {
        ComponentDescriptionDTO good = description("org.joinleaf.provider.impl", "org.joinleaf.runtime.Good", "optional");
        ComponentDescriptionDTO failed = description("org.joinleaf.provider.tcp", "org.joinleaf.tcp.TcpProvider",
                "optional");
        ComponentDescriptionDTO waiting = description("org.joinleaf.provider.impl", "org.joinleaf.runtime.Waits",
                "optional");
        ComponentDescriptionDTO unconfigured = description("org.joinleaf.demo", "org.joinleaf.demo.Demo", "require");
        ComponentDescriptionDTO foreign = description("org.apache.felix.scr", "org.apache.Other", "optional");
        Map<ComponentDescriptionDTO, List<ComponentConfigurationDTO>> configs = Map.of(
                good, List.of(configuration(ComponentConfigurationDTO.ACTIVE, null)),
                failed, List.of(configuration(ComponentConfigurationDTO.FAILED_ACTIVATION,
                        "heartbeatIntervalMillis must be below heartbeatTimeoutMillis")),
                waiting, List.of(configuration(ComponentConfigurationDTO.UNSATISFIED_REFERENCE, null)),
                unconfigured, List.of(),
                foreign, List.of(configuration(ComponentConfigurationDTO.FAILED_ACTIVATION, "not ours")));

        assertTrue(Checks.components(List.of(good, foreign), configs::get, d -> true).isOk());
        CheckResult r = Checks.components(List.of(good, failed, waiting, unconfigured, foreign), configs::get,
                d -> true);
        assertFalse(r.isOk());
        assertTrue(r.getDetail(), r.getDetail().contains("org.joinleaf.tcp.TcpProvider is failed to activate: "
                + "heartbeatIntervalMillis must be below heartbeatTimeoutMillis"));
        assertTrue(r.getDetail(), r.getDetail().contains("org.joinleaf.runtime.Waits is missing references [catalog]"));
        assertTrue(r.getDetail(), r.getDetail().contains("org.joinleaf.demo.Demo waits for its configuration"));
        assertFalse("other bundles' components are not ours to judge", r.getDetail().contains("not ours"));
        assertTrue("a disabled component is not judged",
                Checks.components(List.of(good, failed), configs::get, d -> d != failed).isOk());
    }

    // issue 15 item 4: providers present
    @Test
    public void providersFailWhenAnExpectedOneIsMissingOrNoneIsThere() {
        assertTrue(Checks.providers(List.of("default", "tcp"), new String[] {"tcp", "default"}).isOk());
        CheckResult missing = Checks.providers(List.of("default"), new String[] {"default", " tcp"});
        assertFalse(missing.isOk());
        assertTrue(missing.getDetail(), missing.getDetail().startsWith("missing [tcp]"));
        assertTrue(Checks.providers(List.of("default"), new String[0]).isOk());
        assertFalse("a .cfg list is one string", Checks.providers(List.of("default"), new String[] {"default,tcp"})
                .isOk());
        assertFalse(Checks.providers(List.of(), new String[0]).isOk());
    }

    // issue 15 item 4: event loops alive
    @Test
    public void ioThreadsFailWhenAProvidersLoopStopped() {
        Status status = new Status();
        ProviderTotals tcp = present("tcp", status);
        assertTrue(Checks.ioThreads(List.of(tcp)).isOk());
        status.stopped = List.of("joinleaf-tcp event loop 2 has stopped");
        CheckResult r = Checks.ioThreads(List.of(tcp));
        assertFalse(r.isOk());
        assertEquals("tcp: joinleaf-tcp event loop 2 has stopped", r.getDetail());
    }

    // issue 15 item 4: memory-budget headroom, for a provider budget and for the heap after collection
    @Test
    public void memoryFailsWhenABudgetOrTheHeapHasTooLittleRoom() {
        Status status = new Status();
        ProviderTotals tcp = present("tcp", status);
        status.budget = new ProviderStatus.Budget(800, 1000);
        List<HeapPool> heap = List.of(new HeapPool("Tenured Gen", 10, 100));
        assertTrue(Checks.memory(List.of(tcp), heap, 10).isOk());

        status.budget = new ProviderStatus.Budget(950, 1000);
        CheckResult budget = Checks.memory(List.of(tcp), heap, 10);
        assertFalse(budget.isOk());
        assertTrue(budget.getDetail(), budget.getDetail().startsWith("tcp maxQueuedBytes 950 of 1000 bytes used"));

        status.budget = new ProviderStatus.Budget(0, 1000);
        CheckResult full = Checks.memory(List.of(tcp), List.of(new HeapPool("Tenured Gen", 95, 100)), 10);
        assertFalse(full.isOk());
        assertTrue(full.getDetail(), full.getDetail().contains("heap pool 'Tenured Gen' 95 of 100 bytes used"));
    }

    @Test
    public void statusIsCriticalWhenAnyCheckFails() {
        assertEquals("OK", Health.status(List.of(CheckResult.ok("a", ""), CheckResult.ok("b", ""))));
        assertEquals("CRITICAL", Health.status(List.of(CheckResult.ok("a", ""), CheckResult.failed("b", ""))));
    }

    static final class Status implements ProviderStatus {
        volatile List<String> stopped = List.of();
        volatile Budget budget = new Budget(0, 1);

        @Override
        public Map<String, Budget> budgets() {
            return Map.of("maxQueuedBytes", budget);
        }

        @Override
        public List<String> stoppedIoThreads() {
            return stopped;
        }
    }

    private static ProviderTotals present(String name, Object provider) {
        ProviderTotals t = new ProviderTotals(name);
        t.started(provider);
        return t;
    }

    private static ComponentDescriptionDTO description(String bundle, String name, String policy) {
        ComponentDescriptionDTO d = new ComponentDescriptionDTO();
        d.bundle = new BundleDTO();
        d.bundle.symbolicName = bundle;
        d.name = name;
        d.configurationPolicy = policy;
        return d;
    }

    private static ComponentConfigurationDTO configuration(int state, String failure) {
        ComponentConfigurationDTO c = new ComponentConfigurationDTO();
        c.state = state;
        c.failure = failure;
        UnsatisfiedReferenceDTO ref = new UnsatisfiedReferenceDTO();
        ref.name = "catalog";
        c.unsatisfiedReferences = state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE
                ? new UnsatisfiedReferenceDTO[] {ref} : new UnsatisfiedReferenceDTO[0];
        return c;
    }
}
