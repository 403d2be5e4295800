package org.joinleaf.spi.config;

import java.lang.annotation.Annotation;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.util.Map;
import org.joinleaf.spi.config.MetatypeRanges.Range;

/**
 * The one policy for bad configuration values (issue 12 item 4): {@link #of} checks every attribute of a
 * configuration against the {@code min}/{@code max} of its Metatype definition, and {@link #require} states a
 * component's cross-field rules; either refuses with a {@link BadConfigurationException} naming PID, key, value and
 * rule. A component builds its settings value through this at activation and at every later change, so a refused
 * activation fails naming the value, and a refused later change leaves the settings in force untouched.
 */
public final class ConfigCheck {
    private final String pid;
    private final Annotation config;

    private ConfigCheck(String pid, Annotation config) {
        this.pid = pid;
        this.config = config;
    }

    /**
     * Checks each attribute of {@code config} against its Metatype range.
     *
     * @throws BadConfigurationException for the first attribute out of its range
     */
    public static ConfigCheck of(String pid, Annotation config) {
        ConfigCheck check = new ConfigCheck(pid, config);
        Class<? extends Annotation> type = config.annotationType();
        for (Map.Entry<String, Range> e : MetatypeRanges.of(type).entrySet()) {
            Range range = e.getValue();
            if (range.min() == null && range.max() == null) {
                continue;
            }
            Object value = check.value(e.getKey());
            for (Object element : elements(value)) {
                if (element instanceof Number n && !within(n, range)) {
                    throw check.refuse(e.getKey(), value, range.describe());
                }
            }
        }
        return check;
    }

    /**
     * A rule across fields (or any rule the Metatype cannot state).
     *
     * @param attribute the attribute method name whose value is refused
     * @throws BadConfigurationException with {@code rule} when {@code ok} is false
     */
    public ConfigCheck require(boolean ok, String attribute, String rule) {
        if (!ok) {
            throw refuse(attribute, value(attribute), rule);
        }
        return this;
    }

    /** The refusal of {@code attribute}'s {@code value} by {@code rule}, to throw. */
    public BadConfigurationException refuse(String attribute, Object value, String rule) {
        String key = ConfigValues.propertyKey(attribute);
        Range range = MetatypeRanges.of(config.annotationType()).getOrDefault(attribute, Range.ANY);
        String shown = range.password() || key.startsWith(".") ? "(hidden)" : render(value);
        return new BadConfigurationException(pid, key, shown, rule);
    }

    /** The configuration PID, for messages that are not about one value. */
    public String pid() {
        return pid;
    }

    private Object value(String attribute) {
        try {
            Method method = config.annotationType().getMethod(attribute);
            return method.invoke(config);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalArgumentException("no attribute '" + attribute + "' in " + config.annotationType(), e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private static boolean within(Number value, Range range) {
        BigDecimal v = new BigDecimal(value.toString());
        return (range.min() == null || v.compareTo(new BigDecimal(range.min().trim())) >= 0)
                && (range.max() == null || v.compareTo(new BigDecimal(range.max().trim())) <= 0);
    }

    private static Object[] elements(Object value) {
        if (value != null && value.getClass().isArray()) {
            Object[] copy = new Object[Array.getLength(value)];
            for (int i = 0; i < copy.length; i++) {
                copy[i] = Array.get(value, i);
            }
            return copy;
        }
        return new Object[] {value};
    }

    private static String render(Object value) {
        if (value != null && value.getClass().isArray()) {
            return java.util.Arrays.toString(elements(value));
        }
        return String.valueOf(value);
    }
}
