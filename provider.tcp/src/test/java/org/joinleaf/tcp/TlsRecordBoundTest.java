package org.joinleaf.tcp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.joinleaf.tcp.session.LimitCounters.Limit;
import org.joinleaf.tcp.session.LimitCounters.PeerEvent;
import org.joinleaf.tcp.session.TcpSettings;
import org.joinleaf.tcp.tls.TlsRecordGuard;
import org.junit.Test;

/**
 * Issue 11, "partial TLS records before admission": the {@code SslHandler} buffers a record until it is whole and
 * believes its 16-bit length, so a peer without a certificate could pin 64 KiB per pending handshake. A record
 * announcing more than TLS allows is now refused at its header, before its body is buffered.
 */
public class TlsRecordBoundTest extends MutualTlsFixture {

    @Override
    TcpSettings.Builder settings() {
        return mutualTls(5000);
    }

    @Test // issue 11: a partial oversize TLS record before admission is refused at its header, not held to the deadline
    public void oversizeTlsRecordIsRefusedAtItsHeader() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        try (RawLeaf raw = new RawLeaf(root.localAddress(), 0)) {
            // a handshake record header announcing 65,535 bytes, then part of the body
            raw.write(ByteBuffer.allocate(5 + 1000).put((byte) 0x16).put((byte) 3).put((byte) 3)
                    .putShort((short) 0xFFFF).array());
            assertTrue(raw.closedByPeer());
        }
        assertEquals("a TLS failure at once", 1, provider.transport().counters().count(PeerEvent.TLS_FAILURE));
        assertEquals("not left to its deadline", 0, provider.transport().counters().count(Limit.HANDSHAKE_DEADLINE));
        assertEquals(0, rootUp.count(Winsock2.FD_ACCEPT_BIT));
        assertTrue(TlsRecordGuard.MAX_RECORD < 0xFFFF);
    }
}
