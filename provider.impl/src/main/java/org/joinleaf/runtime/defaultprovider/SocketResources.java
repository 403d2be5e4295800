package org.joinleaf.runtime.defaultprovider;

/** What every socket of one provider activation shares: the I/O loop, the limits and the open-socket count. */
record SocketResources(IoLoop loop, Limits limits, OpenSockets open) {
}
