package org.joinleaf.tcp.session;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import org.joinleaf.api.Winsock2;
import org.joinleaf.tcp.TestPki;
import org.joinleaf.tcp.tls.TlsContexts;
import org.joinleaf.tcp.tls.TlsMode;
import org.joinleaf.tcp.tls.TlsRecordGuard;
import org.joinleaf.tcp.tls.TlsSettings;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Decision 41 (issue 11 item 7, MUTUAL_TLS partial-record case, recovery within 5 s): a connection reset before
 * admission (opening deadline, or dropped for a newcomer) is closed from the front of its pipeline, so its
 * {@code SslHandler} wraps no close_notify for a peer that never completed its handshake: nothing is written, the
 * channel is closed at once and its code is the one recorded.
 */
public class PreAdmissionResetTest {
    private static TestPki pki;
    private static TlsContexts tls;

    @BeforeClass
    public static void identities() throws Exception {
        pki = TestPki.create("node");
        tls = TlsContexts.from(TlsSettings.of(TlsMode.MUTUAL_TLS, pki.keyStore("node").toString(), TestPki.PASSWORD,
                pki.trustStore("node").toString(), TestPki.PASSWORD));
    }

    @AfterClass
    public static void cleanUp() throws Exception {
        pki.close();
    }

    @Test
    public void aHandshakeInProgressIsResetWithoutAnyTlsRecordWritten() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(new TlsRecordGuard(), tls.newHandler(ch.alloc(), false));
        SSLEngine client = tls.newHandler(ch.alloc(), true).engine();
        client.beginHandshake();
        ByteBuffer hello = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
        client.wrap(ByteBuffer.allocate(0), hello);
        hello.flip();
        ch.writeInbound(Unpooled.wrappedBuffer(hello)); // the server answers and waits for the client's certificate
        int answered = drain(ch);

        PeerChannelHandler.resetBeforeAdmission(ch, Winsock2.WSAECONNABORTED);
        ch.runPendingTasks();

        assertTrue("the server's flight went out before the reset", answered > 0);
        assertNull("no close_notify or other TLS record after the reset", ch.readOutbound());
        assertFalse(ch.isOpen());
        assertEquals(Integer.valueOf(Winsock2.WSAECONNABORTED), ch.attr(PeerChannelHandler.CLOSE_CODE).get());
    }

    private static int drain(EmbeddedChannel ch) {
        int bytes = 0;
        for (Object out = ch.readOutbound(); out != null; out = ch.readOutbound()) {
            bytes += ((ByteBuf) out).readableBytes();
            ReferenceCountUtil.release(out);
        }
        return bytes;
    }
}
