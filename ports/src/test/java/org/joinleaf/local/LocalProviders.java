package org.joinleaf.local;

import org.joinleaf.spi.config.ConfigValues;

/**
 * provider.local as a plain object for the ports' tests: its start and stop are package-private (the DS activation
 * and a test hook), so this class lives in its package, on the test class path only.
 */
public final class LocalProviders {
    private LocalProviders() {
    }

    /** A started provider with the default settings. */
    public static LocalProvider started() {
        LocalProvider p = new LocalProvider();
        p.start(LocalSettings.from(ConfigValues.defaults(LocalConfig.class)));
        return p;
    }

    public static void stop(LocalProvider p) {
        p.deactivate();
    }
}
