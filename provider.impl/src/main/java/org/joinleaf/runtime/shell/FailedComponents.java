package org.joinleaf.runtime.shell;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.joinleaf.spi.TransportProvider;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * The provider components that are not serving, and why, from Declarative Services' own view (issue 15 item 3: a
 * typo must not take a provider away silently): failed activations with their failure text, unsatisfied
 * configurations and references, and disabled components.
 */
final class FailedComponents {
    private static final String PROVIDER = TransportProvider.class.getName();

    private FailedComponents() {
    }

    /** One line per provider component that is not active or satisfied; empty when every one is. */
    static List<String> of(ServiceComponentRuntime scr) {
        List<String> lines = new ArrayList<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (!Arrays.asList(d.serviceInterfaces).contains(PROVIDER)) {
                continue;
            }
            String name = d.name + " (bundle " + d.bundle.id + ")";
            if (!scr.isComponentEnabled(d)) {
                lines.add(name + ": disabled");
                continue;
            }
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                String why = why(c);
                if (why != null) {
                    lines.add(name + ": " + why);
                }
            }
        }
        return lines;
    }

    private static String why(ComponentConfigurationDTO c) {
        switch (c.state) {
            case ComponentConfigurationDTO.FAILED_ACTIVATION:
                return "failed activation: " + reason(c.failure);
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION:
                return "waiting for its configuration";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE:
                List<String> missing = new ArrayList<>();
                for (UnsatisfiedReferenceDTO r : c.unsatisfiedReferences) {
                    missing.add(r.name);
                }
                return "unsatisfied reference " + String.join(", ", missing);
            default:
                return null;
        }
    }

    /**
     * The message of the innermost exception of a stack trace text (SCR's {@code failure}), without its class name;
     * a joinleaf {@code BadConfigurationException} carries no frames, so this is its one line.
     */
    static String reason(String failure) {
        if (failure == null || failure.isBlank()) {
            return "(no failure text)";
        }
        String line = failure.lines().findFirst().orElse("");
        for (String l : (Iterable<String>) failure.lines()::iterator) {
            if (l.startsWith("Caused by: ")) {
                line = l.substring("Caused by: ".length());
            }
        }
        return line.replaceFirst("^[\\w.$]+(Exception|Error)(: )?", "").trim();
    }
}
