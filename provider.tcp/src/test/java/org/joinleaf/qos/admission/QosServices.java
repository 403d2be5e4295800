package org.joinleaf.qos.admission;

import java.lang.reflect.Proxy;
import java.util.Map;
import org.joinleaf.qos.QosService;

/**
 * The real {@link AdmissionControl}, activated as DS would with a configuration, for provider.tcp's plain-object
 * tests. (Lives in provider.qos's package because activation is package-private; test classpath only.)
 */
public final class QosServices {
    private QosServices() {
    }

    /** An activated QoS service: the Metatype defaults overridden by {@code config} (attribute name to value). */
    public static QosService admissionControl(Map<String, Object> config) {
        QosConfig c = (QosConfig) Proxy.newProxyInstance(QosConfig.class.getClassLoader(),
                new Class<?>[] {QosConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return QosConfig.class;
                    }
                    Object value = config.get(method.getName());
                    return value != null ? value : method.getDefaultValue();
                });
        AdmissionControl service = new AdmissionControl();
        service.activate(c);
        return service;
    }
}
