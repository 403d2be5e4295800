package org.joinleaf.multicast;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * A {@link MulticastConfig} without Config Admin, for tests and benchmarks that use the provider as a plain object
 * ({@code new MulticastProvider()} then {@code activate(config)}). Keys are the attribute method names
 * ({@code "interfaceName"}, {@code "defaultScope"}, ...); every attribute left out keeps its Metatype default, so the
 * defaults live in one place.
 */
public final class ConfigValues {
    private ConfigValues() {
    }

    /** A configuration with {@code values} over the defaults. Unknown keys are rejected so typos fail loudly. */
    public static MulticastConfig of(Map<String, ?> values) {
        for (String key : values.keySet()) {
            try {
                MulticastConfig.class.getMethod(key);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException("no multicast configuration attribute named '" + key + "'");
            }
        }
        return (MulticastConfig) Proxy.newProxyInstance(MulticastConfig.class.getClassLoader(),
                new Class<?>[] {MulticastConfig.class}, (proxy, method, args) -> method.getName().equals("equals") ? proxy == args[0] : value(method, values));
    }

    private static Object value(Method method, Map<String, ?> values) {
        switch (method.getName()) {
            case "annotationType":
                return MulticastConfig.class;
            case "toString":
                return "MulticastConfig" + values;
            case "hashCode":
                return values.hashCode();
            default:
                Object v = values.get(method.getName());
                if (v == null) {
                    return method.getDefaultValue();
                }
                return v instanceof Number && method.getReturnType() == int.class ? ((Number) v).intValue() : v;
        }
    }
}
