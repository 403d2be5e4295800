package org.joinleaf.spi.config;

import java.util.concurrent.Callable;
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

    /**
     * Restarts a component after a good change that cannot apply live: {@code disable} (returning once the
     * component is disabled, e.g. {@code scr.disableComponent(d).getValue()}), then {@code enable}, on a thread of
     * their own: the disabling waits for the component's modified method, the caller, to return.
     *
     * @param disable null when nothing can restart the component (no ServiceComponentRuntime): one WARNING line says
     *                the change applies at its next start
     */
    public static void restart(String pid, Callable<?> disable, Runnable enable, System.Logger log) {
        if (disable == null) {
            log.log(System.Logger.Level.WARNING, "configuration " + pid + " changed settings that need a restart, "
                    + "and nothing can restart the component: they apply at its next start");
            return;
        }
        log.log(System.Logger.Level.INFO, "configuration " + pid + " changed settings that need a restart; "
                + "restarting the provider (its sockets close with WSAENETDOWN)");
        Thread restarter = new Thread(() -> {
            try {
                disable.call();
                enable.run();
            } catch (Exception e) {
                log.log(System.Logger.Level.WARNING, "restarting the component of " + pid + " failed: " + e);
            }
        }, "joinleaf-restart " + pid);
        restarter.setDaemon(true);
        restarter.start();
    }
}
