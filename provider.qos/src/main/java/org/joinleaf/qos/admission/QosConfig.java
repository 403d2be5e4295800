package org.joinleaf.qos.admission;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Configuration of the QoS service (PID {@value AdmissionControl#PID}). Changes apply to later admissions only. */
@ObjectClassDefinition(id = AdmissionControl.PID, name = "joinleaf flowspec QoS",
        description = "Capacity that CONTROLLEDLOAD and GUARANTEED flows reserve, per-flow maxima and the service"
                + " types offered. Changes apply to new admissions and renegotiations; admitted flows keep their"
                + " reservations.")
public @interface QosConfig {

    @AttributeDefinition(name = "Default capacity (bytes/s)", min = "0",
            description = "Capacity of every scope not listed in 'Capacity per scope'. 0 admits no reserved flow.")
    long defaultCapacity() default 10L * 1024 * 1024;

    @AttributeDefinition(name = "Capacity per scope",
            description = "Entries 'scope=bytesPerSecond', for example 'tcp=52428800' or 'tcp/eth0=1250000'. A scope"
                    + " is what a provider passes to admit(): its name, or its name and an interface.")
    String[] scopeCapacities() default {};

    @AttributeDefinition(name = "Largest TokenRate per flow (bytes/s)", min = "1", max = "4294967293",
            description = "A CONTROLLEDLOAD or GUARANTEED flowspec asking more fails with WSA_QOS_POLICY_FAILURE.")
    long maxTokenRate() default 10L * 1024 * 1024;

    @AttributeDefinition(name = "Largest TokenBucketSize per flow (bytes)", min = "1", max = "4294967293",
            description = "A CONTROLLEDLOAD or GUARANTEED flowspec asking more fails with WSA_QOS_POLICY_FAILURE; also"
                    + " caps the default bucket of such flows.")
    long maxBucketSize() default 1024L * 1024;

    @AttributeDefinition(name = "Offered service types",
            description = "Other service types fail with WSA_QOS_ESERVICETYPE. NOTRAFFIC and NOCHANGE are always"
                    + " accepted.",
            options = {@Option(label = "BESTEFFORT", value = "BESTEFFORT"),
                    @Option(label = "CONTROLLEDLOAD", value = "CONTROLLEDLOAD"),
                    @Option(label = "GUARANTEED", value = "GUARANTEED")})
    String[] offeredServiceTypes() default {"BESTEFFORT", "CONTROLLEDLOAD", "GUARANTEED"};
}
