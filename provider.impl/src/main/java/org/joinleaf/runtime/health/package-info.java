/**
 * The gateway's health check (issue 15 item 4): one verdict over the framework, every joinleaf component, the
 * providers, their I/O threads and their memory budgets, on JMX ({@code org.joinleaf:type=Health}) and in the shell
 * ({@code joinleaf:health}). Not exported.
 */
package org.joinleaf.runtime.health;
