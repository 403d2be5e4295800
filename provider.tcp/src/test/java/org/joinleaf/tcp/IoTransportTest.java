package org.joinleaf.tcp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assume.assumeTrue;

import java.util.List;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.joinleaf.tcp.session.IoTransports;
import org.joinleaf.tcp.session.TcpSettings;
import org.joinleaf.tcp.session.TransportChoice;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameter;
import org.junit.runners.Parameterized.Parameters;

/**
 * Issue 14 item 6 (decision 40): a join, data both ways and a close through each transport the {@code transport}
 * setting names; EPOLL where the native transport loads (skipped elsewhere), NIO everywhere. The rest of the suite
 * runs on AUTO, which is EPOLL where it loads.
 */
@RunWith(Parameterized.class)
public class IoTransportTest extends ProviderFixture {
    @Parameters(name = "{0}")
    public static List<Object[]> transports() {
        return List.of(new Object[] {TransportChoice.NIO}, new Object[] {TransportChoice.EPOLL});
    }

    @Parameter
    public TransportChoice transport;

    @Override
    TcpSettings.Builder settings() {
        assumeTrue("the native epoll transport loads here",
                transport != TransportChoice.EPOLL || IoTransports.epollUnavailable() == null);
        TcpSettings.Builder b = TcpSettings.builder();
        b.transport = transport;
        return b;
    }

    @Test // §1.1 rooted data, §1.7 leaf to root, §3 graceful leave: over the transport configured
    public void joinDataAndCloseRunOnTheConfiguredTransport() throws Exception {
        assertEquals(transport.name(), provider.transport().ioTransport());
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        Member a = join(root, rootUp, true, Winsock2.JL_BOTH, "a");
        Member b = join(root, rootUp, true, Winsock2.JL_BOTH, "b");

        assertEquals(6, send(root, "fanout"));
        assertEquals("fanout", receive(a.leaf, a.leafUp, new SOCKADDR()));
        assertEquals("fanout", receive(b.leaf, b.leafUp, new SOCKADDR()));
        send(a.leaf, "from a");
        SOCKADDR from = new SOCKADDR();
        assertEquals("from a", receive(root, rootUp, from));
        assertEquals(a.leaf.localAddress(), from);

        a.leaf.close();
        assertEquals("the root's link sees a graceful leave", 0, a.linkUp.await(Winsock2.FD_CLOSE_BIT));
        assertEquals(4, send(root, "more"));
        assertEquals("more", receive(b.leaf, b.leafUp, new SOCKADDR()));
    }
}
