package org.joinleaf.runtime.admission;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the default {@code WSAAccept} condition (PID {@value AdmissionPolicy#PID}). */
@ObjectClassDefinition(id = AdmissionPolicy.PID, name = "joinleaf admission policy",
        description = "The condition function of every WSAAccept called without one: CF_ACCEPT only when every "
                + "configured criterion holds, CF_REJECT (WSAECONNREFUSED at the caller) otherwise.")
public @interface AdmissionConfig {

    @AttributeDefinition(name = "Allowed certificate fingerprints",
            description = "SHA-256 fingerprints of the callers' certificates (hex; colons, spaces and case are "
                    + "ignored), comma separated. Empty: any authenticated caller.")
    String[] allowedFingerprints() default {};

    @AttributeDefinition(name = "Allowed addresses",
            description = "CIDR ranges the caller's address must be in, IPv4 or IPv6 (10.0.0.0/8, ::1/128; a bare "
                    + "address is one host), comma separated. Empty: any address.")
    String[] allowedAddresses() default {};

    @AttributeDefinition(name = "Require identity",
            description = "Refuse callers that are not TLS-authenticated (the transport's tlsMode MUTUAL_TLS gives "
                    + "callers an identity).")
    boolean requireIdentity() default true;
}
