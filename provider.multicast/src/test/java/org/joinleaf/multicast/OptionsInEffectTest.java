package org.joinleaf.multicast;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.fail;

import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.spi.WsaException;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.junit.Test;

/**
 * Issue 13 (item 2 of the follow-up), decision 26: getsockopt answers what is in effect on a multicast socket
 * (SO_RCVBUF as the kernel applied it to the receiving channel, loopback and TTL as the socket applies them), and
 * every option the runtime's table accepts that this transport has no counterpart for is WSAENOPROTOOPT.
 */
public class OptionsInEffectTest extends ProviderOnLoopback {

    @Test
    public void receiveBufferLoopbackAndTtlReadAsInEffect() throws Exception {
        LeafSocket s = Loopback.socket(provider, AF_INET, new RecordingUpcalls());
        assertNull("before the join there is no receiving channel: the runtime answers what was set",
                s.getOption(SOL_SOCKET, SO_RCVBUF));
        s.setOption(SOL_SOCKET, SO_RCVBUF, 100_000);
        SOCKADDR group = Loopback.group4();
        Loopback.join(s, group, JL_BOTH);
        try (DatagramChannel plain = DatagramChannel.open(StandardProtocolFamily.INET)) {
            plain.setOption(StandardSocketOptions.SO_RCVBUF, 100_000);
            assertEquals("what the kernel gives a socket for the same request",
                    plain.getOption(StandardSocketOptions.SO_RCVBUF), s.getOption(SOL_SOCKET, SO_RCVBUF));
        }
        s.ioctl(SIO_MULTIPOINT_LOOPBACK, Boolean.FALSE, null);
        assertEquals(Boolean.FALSE, s.getOption(IPPROTO_IP, IP_MULTICAST_LOOP));
        s.ioctl(SIO_MULTICAST_SCOPE, 0, null);
        assertEquals(0, s.getOption(IPPROTO_IP, IP_MULTICAST_TTL));
    }

    @Test
    public void optionsWithoutACounterpartAreNoProtoOpt() throws Exception {
        LeafSocket s = Loopback.socket(provider, AF_INET, new RecordingUpcalls());
        int[][] refused = {{SOL_SOCKET, SO_EXCLUSIVEADDRUSE}, {SOL_SOCKET, SO_SNDBUF}, {SOL_SOCKET, SO_BROADCAST},
            {IPPROTO_IP, IP_TTL}, {IPPROTO_IP, IP_MULTICAST_IF}, {IPPROTO_IP, IP_ADD_MEMBERSHIP}};
        for (int[] o : refused) {
            try {
                s.setOption(o[0], o[1], o[1] == SO_EXCLUSIVEADDRUSE || o[1] == SO_BROADCAST ? (Object) true : 1);
                fail("option " + o[1] + " at level " + o[0] + " was taken");
            } catch (WsaException e) {
                assertEquals("option " + o[1] + ": " + e.getMessage(), WSAENOPROTOOPT, e.code());
            }
        }
    }
}
