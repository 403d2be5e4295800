package org.joinleaf.demo;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the gateway demo (PID {@code org.joinleaf.demo}); demo.sh writes it into the demo's conf/. */
@ObjectClassDefinition(name = "joinleaf gateway demo",
        description = "Runs once when configured: default provider, provider.tcp installed at run time, a root and "
                + "three leaves over loopback, the provider stopped under them.")
@interface DemoConfig {
    @AttributeDefinition(name = "provider.qos bundle", description = "Location (URL) of the provider.qos jar, "
            + "installed and started before provider.tcp, which needs it.")
    String qosBundle();

    @AttributeDefinition(name = "provider.tcp bundle", description = "Location (URL) of the provider.tcp jar.")
    String tcpBundle();

    @AttributeDefinition(name = "Step timeout (s)", description = "Bound on every wait of the demo: a step that "
            + "takes longer fails instead of hanging.", min = "1", max = "300")
    int stepTimeoutSeconds() default 10;

    @AttributeDefinition(name = "Stop the gateway", description = "Stop the framework when the demo is over, so the "
            + "gateway process exits (demo.sh relies on it).")
    boolean stopGateway() default true;
}
