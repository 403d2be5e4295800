package org.joinleaf.qos.admission;

import java.lang.reflect.Proxy;
import java.util.Map;

/** {@link QosConfig} instances as DS builds them: the annotation's defaults, overridden by the given properties. */
final class Configs {
    private Configs() {
    }

    static QosConfig config(Map<String, Object> overrides) {
        return (QosConfig) Proxy.newProxyInstance(QosConfig.class.getClassLoader(), new Class<?>[] {QosConfig.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return QosConfig.class;
                    }
                    Object value = overrides.get(method.getName());
                    return value != null ? value : method.getDefaultValue();
                });
    }

    static QosConfig defaults() {
        return config(Map.of());
    }

    /** An activated service with the defaults and {@code overrides}. */
    static AdmissionControl service(Map<String, Object> overrides) {
        AdmissionControl service = new AdmissionControl();
        service.activate(config(overrides));
        return service;
    }
}
