package org.joinleaf.runtime.admission;

import static org.joinleaf.api.Winsock2.CF_ACCEPT;
import static org.joinleaf.api.Winsock2.CF_REJECT;

import java.lang.System.Logger.Level;
import java.util.Map;
import org.joinleaf.api.LPCONDITIONPROC;
import org.joinleaf.api.QOS;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.WSABUF;
import org.joinleaf.api.WSAPEERIDENTITY;
import org.joinleaf.spi.config.ConfigValues;
import org.joinleaf.spi.config.LaterChange;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The default {@code WSAAccept} condition (a joinleaf extension): registered as {@link LPCONDITIONPROC} with
 * {@code joinleaf.condition=default}, it judges every {@code WSAAccept} called without a condition function.
 * {@code CF_ACCEPT} only when every configured criterion holds (TLS identity present, certificate fingerprint
 * allowed, address in an allowed range), {@code CF_REJECT} otherwise, with one INFO line per refusal.
 *
 * <p>Active only while its configuration (PID {@value #PID}) exists. Who a caller is comes only from its
 * certificate ({@link WSAPEERIDENTITY}); the caller data is never looked at.
 *
 * <p>Pitfall: a bad configuration fails activation (or, on a change, keeps the previous rules in force).
 */
@Component(service = LPCONDITIONPROC.class, configurationPid = AdmissionPolicy.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = "joinleaf.condition=default")
@Designate(ocd = AdmissionConfig.class)
public final class AdmissionPolicy implements LPCONDITIONPROC {
    /** Configuration PID. */
    public static final String PID = "org.joinleaf.admission";
    private static final System.Logger LOG = System.getLogger(AdmissionPolicy.class.getName());

    private volatile AdmissionRules rules;

    /** For DS; configured in {@link #activate}. */
    public AdmissionPolicy() {
    }

    /**
     * An activated instance without OSGi (plain-object tests, benchmarks): the Metatype defaults overridden by
     * {@code overrides}, keyed by attribute name, e.g. {@code "allowedFingerprints"} to a {@code String[]}.
     */
    public static AdmissionPolicy configured(Map<String, ?> overrides) {
        AdmissionPolicy policy = new AdmissionPolicy();
        policy.activate(ConfigValues.of(AdmissionConfig.class, overrides));
        return policy;
    }

    @Activate
    void activate(AdmissionConfig config) {
        rules = AdmissionRules.from(config);
    }

    /** Applies live to later WSAAccept calls; a change with a bad value leaves the rules as they are. */
    @Modified
    void modified(AdmissionConfig config) {
        rules = LaterChange.orPrevious(rules, () -> AdmissionRules.from(config), LOG);
    }

    /** Called directly, without an identity: the caller counts as not authenticated. */
    @Override
    public int apply(WSABUF lpCallerId, WSABUF lpCallerData, QOS lpSQOS, QOS lpGQOS, WSABUF lpCalleeId,
                     WSABUF lpCalleeData, int[] g, long dwCallbackData) {
        return applyWithIdentity(null, lpCallerId, lpCallerData, lpSQOS, lpGQOS, lpCalleeId, lpCalleeData, g,
                dwCallbackData);
    }

    @Override
    public int applyWithIdentity(WSAPEERIDENTITY lpCallerIdentity, WSABUF lpCallerId, WSABUF lpCallerData,
                                 QOS lpSQOS, QOS lpGQOS, WSABUF lpCalleeId, WSABUF lpCalleeData, int[] g,
                                 long dwCallbackData) {
        SOCKADDR decoded = SOCKADDR.from(lpCallerId);
        SOCKADDR caller = decoded == null ? new SOCKADDR() : decoded;
        String refusal = rules.refusal(caller.addr, lpCallerIdentity);
        if (refusal == null) {
            if (lpCalleeData != null) {
                lpCalleeData.len = 0; // no reply data
            }
            return CF_ACCEPT;
        }
        LOG.log(Level.INFO, "joinleaf admission: refused {0} ({1}): {2}", caller,
                lpCallerIdentity == null ? "not authenticated" : lpCallerIdentity, // toString escapes the subject
                refusal);
        return CF_REJECT;
    }
}
