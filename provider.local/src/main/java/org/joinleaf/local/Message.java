package org.joinleaf.local;

import org.joinleaf.api.SOCKADDR;

/** One whole message in a receive queue. Never mutated, so one instance is shared by every receiver of a fan-out. */
record Message(byte[] data, SOCKADDR from) {
}
