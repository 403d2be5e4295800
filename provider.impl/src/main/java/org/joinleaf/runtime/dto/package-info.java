/**
 * Read-only snapshots of the runtime for operators (shell commands, JMX): providers with their catalog entries and
 * the sockets of every process. Internal to provider.impl; not exported.
 */
package org.joinleaf.runtime.dto;
