/**
 * The runtime on the platform MBeanServer: one MXBean per transport provider name
 * ({@code org.joinleaf:type=Provider,name=<name>}), whose counts survive the provider's restarts. Not exported.
 */
package org.joinleaf.runtime.jmx;
