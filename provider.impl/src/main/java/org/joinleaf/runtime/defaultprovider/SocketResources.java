package org.joinleaf.runtime.defaultprovider;

import org.joinleaf.spi.DatagramBudget;

/**
 * What every socket of one provider activation shares: the I/O loop, the limits, the open-socket count and the
 * receive budget.
 */
record SocketResources(IoLoop loop, DefaultSettings limits, OpenSockets open, DatagramBudget<DropReason> budget) {
}
