package org.joinleaf.runtime.health;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The health check's settings, PID {@value Health#PID}. */
@ObjectClassDefinition(id = Health.PID, name = "joinleaf health check",
        description = "What the health check (JMX org.joinleaf:type=Health, shell joinleaf:health) expects")
@interface HealthConfig {
    @AttributeDefinition(name = "Expected providers", required = false, description = "joinleaf.provider.name of"
            + " every provider that must be in the catalog (e.g. default,tcp,multicast). Empty: at least one provider.")
    String[] expectedProviders() default {};

    @AttributeDefinition(name = "Least free budget (%)", min = "0", max = "100", description = "A provider byte"
            + " budget, or the heap after the last garbage collection, with less free than this share fails the check")
    int minHeadroomPercent() default 10;
}
