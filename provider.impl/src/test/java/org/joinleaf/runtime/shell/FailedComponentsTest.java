package org.joinleaf.runtime.shell;

import static org.junit.Assert.assertEquals;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.joinleaf.spi.TransportProvider;
import org.junit.Test;
import org.osgi.framework.dto.BundleDTO;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * Issue 15 item 3: {@code joinleaf:providers} lists the provider components that failed or wait, and why, from
 * ServiceComponentRuntime's DTOs; a failed activation shows its one-line reason (PID, key, value, rule).
 */
public class FailedComponentsTest {
    private static final String FAILURE = "org.joinleaf.spi.config.BadConfigurationException: configuration "
            + "org.joinleaf.tcp: heartbeatIntervalMillis=20000 refused (must be below heartbeatTimeoutMillis (15000))";

    @Test
    public void failedUnsatisfiedAndDisabledProvidersAreListedWithTheirReason() {
        ComponentDescriptionDTO tcp = description("org.joinleaf.tcp.TcpProvider", 12, TransportProvider.class);
        ComponentDescriptionDTO multicast = description("org.joinleaf.multicast.MulticastProvider", 13,
                TransportProvider.class);
        ComponentDescriptionDTO local = description("org.joinleaf.local.LocalProvider", 14, TransportProvider.class);
        ComponentDescriptionDTO other = description("org.joinleaf.gateway.ConfigGuard", 3, Runnable.class);
        UnsatisfiedReferenceDTO qos = new UnsatisfiedReferenceDTO();
        qos.name = "qos";
        Map<ComponentDescriptionDTO, List<ComponentConfigurationDTO>> configurations = Map.of(
                tcp, List.of(configuration(ComponentConfigurationDTO.FAILED_ACTIVATION, FAILURE)),
                local, List.of(configuration(ComponentConfigurationDTO.ACTIVE, null)),
                other, List.of(configuration(ComponentConfigurationDTO.FAILED_ACTIVATION, "x")));
        ComponentConfigurationDTO waiting = configuration(ComponentConfigurationDTO.UNSATISFIED_REFERENCE, null);
        waiting.unsatisfiedReferences = new UnsatisfiedReferenceDTO[] {qos};
        ServiceComponentRuntime scr = scr(List.of(tcp, multicast, local, other), configurations, multicast);

        assertEquals(List.of("org.joinleaf.tcp.TcpProvider (bundle 12): failed activation: configuration "
                        + "org.joinleaf.tcp: heartbeatIntervalMillis=20000 refused (must be below heartbeatTimeoutMillis "
                        + "(15000))",
                "org.joinleaf.multicast.MulticastProvider (bundle 13): disabled"), FailedComponents.of(scr));
    }

    @Test
    public void theReasonIsTheInnermostMessageOfAStackTrace() {
        assertEquals("bad thing", FailedComponents.reason("org.osgi.service.component.ComponentException: wrapper\n"
                + "\tat a.b(C.java:1)\nCaused by: java.lang.IllegalArgumentException: bad thing\n\tat x.y(Z.java:2)"));
        assertEquals("(no failure text)", FailedComponents.reason(null));
    }

    private static ComponentDescriptionDTO description(String name, long bundle, Class<?> service) {
        ComponentDescriptionDTO d = new ComponentDescriptionDTO();
        d.name = name;
        d.bundle = new BundleDTO();
        d.bundle.id = bundle;
        d.serviceInterfaces = new String[] {service.getName()};
        return d;
    }

    private static ComponentConfigurationDTO configuration(int state, String failure) {
        ComponentConfigurationDTO c = new ComponentConfigurationDTO();
        c.state = state;
        c.failure = failure;
        c.unsatisfiedReferences = new UnsatisfiedReferenceDTO[0];
        return c;
    }

    private static ServiceComponentRuntime scr(List<ComponentDescriptionDTO> descriptions,
            Map<ComponentDescriptionDTO, List<ComponentConfigurationDTO>> configurations,
            ComponentDescriptionDTO disabled) {
        return (ServiceComponentRuntime) Proxy.newProxyInstance(ServiceComponentRuntime.class.getClassLoader(),
                new Class<?>[] {ServiceComponentRuntime.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getComponentDescriptionDTOs":
                            return descriptions;
                        case "getComponentConfigurationDTOs":
                            return configurations.getOrDefault(args[0], List.of());
                        case "isComponentEnabled":
                            return args[0] != disabled;
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }
}
