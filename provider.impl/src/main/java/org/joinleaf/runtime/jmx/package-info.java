/** The runtime's counters on the platform MBeanServer: one MBean per transport provider. Not exported. */
package org.joinleaf.runtime.jmx;
