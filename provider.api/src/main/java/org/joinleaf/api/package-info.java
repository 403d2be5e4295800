/**
 * The Winsock 2 multipoint API: the {@link org.joinleaf.api.Winsock} service, the C structures it takes, every
 * constant with its Winsock value ({@link org.joinleaf.api.Winsock2}) and the error codes
 * ({@link org.joinleaf.api.WSAError}).
 */
@Version("1.2.0")
@Export
package org.joinleaf.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
