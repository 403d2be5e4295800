package org.joinleaf.gateway;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.joinleaf.api.Winsock;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * Prints {@value #READY} once the gateway has booted: every installed bundle is started and every DS component of
 * a joinleaf bundle is satisfied or active. The time is measured from JVM start, so it includes the launcher.
 * Referencing {@link Winsock} (a bundle-scoped service) makes the runtime, its provider catalog and the providers
 * it binds active, not merely registered.
 */
@Component(immediate = true)
public final class ReadyLine implements BundleListener {
    static final String READY = "joinleaf gateway ready in ";
    private static final String JOINLEAF_BUNDLES = "org.joinleaf.";

    private final BundleContext context;
    private final ServiceComponentRuntime scr;
    private final AtomicBoolean announced = new AtomicBoolean();
    private final AtomicBoolean diagnosed = new AtomicBoolean();

    @Activate
    public ReadyLine(BundleContext context, @Reference ServiceComponentRuntime scr,
            @Reference Winsock runtimeInstanceOfThisBundle) {
        this.context = context;
        this.scr = scr;
        context.addBundleListener(this);
        check(); // the last bundle may have started before we did
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(this);
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.STARTED) {
            check();
        }
    }

    private void check() {
        if (announced.get() || !allBundlesStarted()) {
            return;
        }
        List<String> problems = new ArrayList<>();
        int components = 0;
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (!description.bundle.symbolicName.startsWith(JOINLEAF_BUNDLES)
                    || !scr.isComponentEnabled(description)) {
                continue;
            }
            ComponentConfigurationDTO[] configurations = scr.getComponentConfigurationDTOs(description).toArray(
                    new ComponentConfigurationDTO[0]);
            if (configurations.length == 0 && "require".equals(description.configurationPolicy)) {
                // DS shows no configuration at all while a required one is missing
                problems.add(description.name + " waits for its configuration " + List.of(description.configurationPid));
            }
            for (ComponentConfigurationDTO configuration : configurations) {
                components++;
                String problem = problem(configuration);
                if (problem != null) {
                    problems.add(description.name + " " + problem);
                }
            }
        }
        long ms = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        if (problems.isEmpty()) {
            if (announced.compareAndSet(false, true)) {
                System.out.println(READY + ms + " ms (" + components + " joinleaf components up)");
            }
        } else if (diagnosed.compareAndSet(false, true)) {
            // Said once; a later bundle start checks again and may still announce ready.
            System.out.println("joinleaf gateway started in " + ms + " ms but is NOT ready: "
                    + String.join("; ", problems) + " (see scr:info <name>)");
        }
    }

    private boolean allBundlesStarted() {
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
            if (b.getState() != Bundle.ACTIVE && !(fragment && b.getState() == Bundle.RESOLVED)) {
                return false;
            }
        }
        return true;
    }

    /** Null when the configuration is satisfied or active, else what stops it, for a person to act on. */
    private static String problem(ComponentConfigurationDTO configuration) {
        switch (configuration.state) {
            case ComponentConfigurationDTO.ACTIVE:
            case ComponentConfigurationDTO.SATISFIED:
                return null;
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE:
                List<String> missing = new ArrayList<>();
                for (UnsatisfiedReferenceDTO ref : configuration.unsatisfiedReferences) {
                    missing.add(ref.name);
                }
                return "is missing references " + missing;
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION:
                return "waits for its configuration";
            case ComponentConfigurationDTO.FAILED_ACTIVATION:
                return "failed to activate: " + configuration.failure;
            default:
                return "is in state " + configuration.state;
        }
    }
}
