package org.joinleaf.spi.config;

import java.lang.annotation.Annotation;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A component property type (the Metatype-annotated {@code @interface} a DS component is configured with) as DS
 * would hand it over, built without Config Admin: every attribute not given answers its Metatype default, so
 * nothing outside the annotation writes a default again. Used by plain-object tests, benchmarks and the
 * configuration guard; values are converted as DS converts them (a {@code .cfg} file's strings, numbers of any
 * width, a comma list for an array).
 */
public final class ConfigValues {
    private ConfigValues() {
    }

    /** {@code type} with its Metatype defaults. */
    public static <A extends Annotation> A defaults(Class<A> type) {
        return of(type, Map.of());
    }

    /**
     * {@code type} with {@code overrides} over its defaults, keyed by attribute method name
     * ({@code "joinTimeoutMillis"}, {@code "service_ranking"}).
     *
     * @throws IllegalArgumentException for a key that is no attribute (a typo fails loudly) or a value that does not
     *                                  convert
     */
    public static <A extends Annotation> A of(Class<A> type, Map<String, ?> overrides) {
        Map<String, Object> values = new HashMap<>();
        for (Map.Entry<String, ?> e : overrides.entrySet()) {
            Method attribute;
            try {
                attribute = type.getMethod(e.getKey());
            } catch (NoSuchMethodException ex) {
                throw new IllegalArgumentException("no attribute '" + e.getKey() + "' in " + type.getName());
            }
            if (e.getValue() != null) {
                values.put(e.getKey(), convert(e.getValue(), attribute.getReturnType(), e.getKey()));
            }
        }
        return proxy(type, values);
    }

    /**
     * {@code type} read from Config Admin properties, keyed as in a {@code .cfg} file (DS 1.4 name mapping:
     * {@code service.ranking} for {@code service_ranking}, {@code .keyStorePassword} for {@code _keyStorePassword});
     * properties that are no attribute are ignored, as DS ignores them.
     *
     * @throws IllegalArgumentException naming the key of a value that does not convert
     */
    public static <A extends Annotation> A fromProperties(Class<A> type, Map<String, ?> properties) {
        Map<String, Object> values = new HashMap<>();
        for (Method attribute : type.getDeclaredMethods()) {
            Object value = properties.get(propertyKey(attribute.getName()));
            if (value != null) {
                values.put(attribute.getName(), convert(value, attribute.getReturnType(),
                        propertyKey(attribute.getName())));
            }
        }
        return proxy(type, values);
    }

    /** The property key of an attribute method (DS 1.4, 112.8.2.1): {@code _} is {@code .}, {@code __} is {@code _}. */
    public static String propertyKey(String attribute) {
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < attribute.length(); i++) {
            char c = attribute.charAt(i);
            if (c == '$' && attribute.startsWith("$_$", i)) {
                key.append('-');
                i += 2;
            } else if (c == '$') {
                if (attribute.startsWith("$$", i)) {
                    key.append('$');
                    i++;
                }
            } else if (c == '_') {
                boolean doubled = attribute.startsWith("__", i);
                key.append(doubled ? '_' : '.');
                i += doubled ? 1 : 0;
            } else {
                key.append(c);
            }
        }
        return key.toString();
    }

    private static <A> A proxy(Class<A> type, Map<String, Object> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "equals":
                            return proxy == args[0];
                        case "hashCode":
                            return values.hashCode();
                        case "toString":
                            return type.getSimpleName() + values.keySet();
                        case "annotationType":
                            return type;
                        default:
                            Object v = values.get(method.getName());
                            return v != null ? v : method.getDefaultValue();
                    }
                }));
    }

    /** {@code value} as {@code target}, the way DS converts a configuration property to an attribute's type. */
    static Object convert(Object value, Class<?> target, String key) {
        if (target.isArray()) {
            List<?> elements = elements(value);
            Object array = Array.newInstance(target.getComponentType(), elements.size());
            for (int i = 0; i < elements.size(); i++) {
                Array.set(array, i, convert(elements.get(i), target.getComponentType(), key));
            }
            return array;
        }
        Object single = value;
        if (value.getClass().isArray() || value instanceof Collection) {
            List<?> elements = elements(value);
            single = elements.isEmpty() ? null : elements.get(0);
            if (single == null) {
                throw new IllegalArgumentException(key + ": an empty list where one value is expected");
            }
        }
        try {
            return scalar(single, target);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + "='" + single + "' is not " + describe(target), e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object scalar(Object v, Class<?> target) {
        String text = String.valueOf(v).trim();
        if (target == String.class) {
            return String.valueOf(v);
        }
        if (target == int.class) {
            return v instanceof Number n ? Math.toIntExact(n.longValue()) : Integer.parseInt(text);
        }
        if (target == long.class) {
            return v instanceof Number n ? n.longValue() : Long.parseLong(text);
        }
        if (target == boolean.class) {
            if (v instanceof Boolean b) {
                return b;
            }
            if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException(text);
            }
            return Boolean.parseBoolean(text);
        }
        if (target == double.class) {
            return v instanceof Number n ? n.doubleValue() : Double.parseDouble(text);
        }
        if (target.isEnum()) {
            return target.isInstance(v) ? v : Enum.valueOf((Class<? extends Enum>) target, text);
        }
        throw new IllegalArgumentException("unsupported attribute type " + target);
    }

    private static String describe(Class<?> target) {
        if (target.isEnum()) {
            return "one of " + List.of(target.getEnumConstants());
        }
        return target == int.class ? "an Integer" : target == long.class ? "a Long" : "a " + target.getSimpleName();
    }

    private static List<?> elements(Object value) {
        if (value instanceof Collection<?> c) {
            return List.copyOf(c);
        }
        if (value.getClass().isArray()) {
            Object[] copy = new Object[Array.getLength(value)];
            for (int i = 0; i < copy.length; i++) {
                copy[i] = Array.get(value, i);
            }
            return List.of(copy);
        }
        return List.of(value);
    }
}
