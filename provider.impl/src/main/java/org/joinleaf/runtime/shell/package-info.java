/** The {@code joinleaf:} Gogo commands: the live catalog and every process's sockets, rendered for people. */
package org.joinleaf.runtime.shell;
