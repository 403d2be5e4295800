package org.joinleaf.qos.admission;

import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * A {@link QosConfig} without Config Admin, as DS builds one: the Metatype defaults, overridden by attribute name
 * ({@code "scopeCapacities"}, {@code "maxTokenRate"}, ...), so the defaults live in one place.
 */
final class QosConfigValues {
    private QosConfigValues() {
    }

    /** Unknown keys are rejected so that typos fail loudly. */
    static QosConfig of(Map<String, ?> overrides) {
        for (String key : overrides.keySet()) {
            try {
                QosConfig.class.getMethod(key);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException("no QoS configuration attribute named '" + key + "'");
            }
        }
        return (QosConfig) Proxy.newProxyInstance(QosConfig.class.getClassLoader(), new Class<?>[] {QosConfig.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return QosConfig.class;
                    }
                    Object value = overrides.get(method.getName());
                    return value != null ? value : method.getDefaultValue();
                });
    }
}
