package org.joinleaf.spi.config;

import java.util.function.Supplier;

/**
 * The policy for a configuration change after activation ({@code @Modified}): a change with a bad value is refused
 * whole and the settings in force stay, with one WARNING line naming PID, key, value and rule.
 */
public final class LaterChange {
    /** The ending of the refusal line. */
    public static final String KEPT = "; the previous settings stay in force";

    private LaterChange() {
    }

    /**
     * The settings {@code next} builds, or {@code previous} (the same instance) when it refuses a value.
     *
     * @param log where the one refusal line goes
     */
    public static <S> S orPrevious(S previous, Supplier<S> next, System.Logger log) {
        try {
            return next.get();
        } catch (BadConfigurationException e) {
            log.log(System.Logger.Level.WARNING, e.getMessage() + KEPT);
            return previous;
        }
    }
}
