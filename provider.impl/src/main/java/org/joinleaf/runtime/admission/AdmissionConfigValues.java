package org.joinleaf.runtime.admission;

import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * An {@link AdmissionConfig} without Config Admin, as DS builds one: the Metatype defaults overridden by attribute
 * name ({@code "allowedFingerprints"}, ...), so the defaults live in one place.
 */
final class AdmissionConfigValues {
    private AdmissionConfigValues() {
    }

    /** Unknown keys are rejected so that typos fail loudly. */
    static AdmissionConfig of(Map<String, ?> overrides) {
        for (String key : overrides.keySet()) {
            try {
                AdmissionConfig.class.getMethod(key);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException("no admission configuration attribute named '" + key + "'");
            }
        }
        return (AdmissionConfig) Proxy.newProxyInstance(AdmissionConfig.class.getClassLoader(),
                new Class<?>[] {AdmissionConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return AdmissionConfig.class;
                    }
                    Object value = overrides.get(method.getName());
                    return value != null ? value : method.getDefaultValue();
                });
    }
}
