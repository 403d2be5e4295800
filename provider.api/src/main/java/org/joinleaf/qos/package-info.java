/**
 * Flowspec QoS for transport providers (contract.md §5, decisions 10–11): a provider that advertises
 * {@code XP1_QOS_SUPPORTED} asks the {@link org.joinleaf.qos.QosService} to admit the {@code lpSQOS} of a join or
 * {@code SIO_SET_QOS}, keeps the {@link org.joinleaf.qos.FlowGrant} for the socket's life, and paces its sends
 * with the grant's {@link org.joinleaf.qos.Shaper}.
 *
 * <p>Lives in the API bundle, not in provider.qos which implements it (issue 15 item 2): a provider imports it from
 * here, installs and runs without provider.qos, and gains QoS when a {@code QosService} arrives; updating or
 * refreshing provider.qos never rewires (so never restarts) the providers.
 */
@Version("1.0.0")
@Export
package org.joinleaf.qos;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
