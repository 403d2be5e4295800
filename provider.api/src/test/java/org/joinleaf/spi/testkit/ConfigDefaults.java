package org.joinleaf.spi.testkit;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * A provider's Metatype configuration type as DS would hand it to {@code activate} with no configuration, plus
 * {@code overrides}: every attribute left out answers its Metatype default, so a test never writes a default again.
 */
public final class ConfigDefaults {
    private ConfigDefaults() {
    }

    /** The configuration {@code type} with its Metatype defaults. */
    public static <A> A of(Class<A> type) {
        return of(type, Map.of());
    }

    /** The configuration {@code type} with {@code overrides} (attribute method name to value) over its defaults. */
    public static <A> A of(Class<A> type, Map<String, ?> overrides) {
        for (String key : overrides.keySet()) {
            try {
                type.getMethod(key);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException("no attribute '" + key + "' in " + type.getName());
            }
        }
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> answer(type, proxy, method, args, overrides)));
    }

    private static Object answer(Class<?> type, Object proxy, Method method, Object[] args, Map<String, ?> overrides) {
        switch (method.getName()) {
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return overrides.hashCode();
            case "toString":
                return type.getSimpleName() + overrides;
            case "annotationType":
                return type;
            default:
                Object v = overrides.get(method.getName());
                return v != null ? v : method.getDefaultValue();
        }
    }
}
