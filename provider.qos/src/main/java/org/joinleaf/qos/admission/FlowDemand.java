package org.joinleaf.qos.admission;

import org.joinleaf.api.QOS;

/**
 * What a valid QoS request asks for: the QoS in effect (NOCHANGE resolved), the bytes per second it reserves and how
 * its sending flow is shaped ({@code shapeRate} 0: not shaped; {@code shapePeak} 0: no peak limit).
 */
record FlowDemand(QOS effective, long reservation, long shapeRate, long shapeBucket, long shapePeak) {
}
