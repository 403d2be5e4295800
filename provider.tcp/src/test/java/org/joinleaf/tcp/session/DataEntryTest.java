package org.joinleaf.tcp.session;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.joinleaf.tcp.protocol.Frame;
import org.joinleaf.tcp.protocol.FrameEncoder;
import org.junit.Test;

/**
 * Issue 14 item 1: fan-out DATA enters a session connection's pipeline near its head ({@link TcpTransport#dataEntry})
 * rather than at its tail. That is right only while every outbound handler a write must pass (the heartbeat, which
 * counts writes as activity, and TLS, which is before it: {@code TlsJoinTest} carries DATA over it) is in front of
 * the entry, and the handlers behind it are inbound only, but for the encoder, which encodes frame objects and passes
 * the encoded DATA buffers unchanged. Reordering the pipeline must fail here, not silently skip a handler.
 */
public class DataEntryTest {

    @Test
    public void dataEntersInFrontOfTheEncoderAndBehindTheHeartbeat() {
        TcpTransport transport = new TcpTransport(TcpSettings.defaults(), () -> null);
        EmbeddedChannel ch = new EmbeddedChannel();
        try {
            transport.initChannel(ch, new PeerChannelHandler() {
                @Override
                void onFrame(ChannelHandlerContext ctx, Frame frame) {
                }

                @Override
                void onClosed(int code) {
                }

                @Override
                boolean admitted() {
                    return false;
                }
            }, false);
            ChannelHandlerContext entry = (ChannelHandlerContext) TcpTransport.dataEntry(ch);
            List<String> names = ch.pipeline().names();
            int at = names.indexOf(entry.name());
            assertTrue("the heartbeat sees fan-out writes: " + names, names.indexOf("heartbeat") < at);
            for (String name : names.subList(at, names.size())) {
                ChannelHandler h = ch.pipeline().get(name);
                if (h != null && h != FrameEncoder.INSTANCE) {
                    assertFalse("a write from the entry would skip outbound handler " + name + ": " + names,
                            h instanceof ChannelOutboundHandler);
                }
            }
            assertEquals("only the encoder is skipped", 1, names.subList(at, names.size()).stream()
                    .filter(n -> ch.pipeline().get(n) instanceof ChannelOutboundHandler).count());
        } finally {
            ch.finishAndReleaseAll();
            transport.shutdown(3000);
        }
    }
}
