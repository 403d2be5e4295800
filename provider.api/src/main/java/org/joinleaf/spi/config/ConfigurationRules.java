package org.joinleaf.spi.config;

import java.util.Map;

/**
 * A component's own check of its configuration, offered as a service so that a Config Admin plugin (the gateway's
 * {@code ConfigGuard}) refuses a change that breaks a rule across fields before the component sees it. Registered
 * by the component's bundle with {@link #PID} naming the configuration it checks; it builds the component's settings
 * value from the properties exactly as the component does, and throws where the component would.
 */
public interface ConfigurationRules {
    /** The service property naming the configuration PID checked. */
    String PID = "joinleaf.config.pid";

    /**
     * Checks Config Admin properties (keys as in a {@code .cfg} file).
     *
     * @throws BadConfigurationException naming the key, value and rule the properties break
     */
    void check(Map<String, Object> properties);
}
