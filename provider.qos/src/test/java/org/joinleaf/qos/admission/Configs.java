package org.joinleaf.qos.admission;

import java.util.Map;
import org.joinleaf.spi.config.ConfigValues;

/** {@link QosConfig} instances as DS builds them: the annotation's defaults, overridden by the given properties. */
final class Configs {
    private Configs() {
    }

    static QosConfig config(Map<String, Object> overrides) {
        return ConfigValues.of(QosConfig.class, overrides);
    }

    static QosConfig defaults() {
        return config(Map.of());
    }

    /** An activated service with the defaults and {@code overrides}. */
    static AdmissionControl service(Map<String, Object> overrides) {
        return AdmissionControl.configured(overrides);
    }
}
