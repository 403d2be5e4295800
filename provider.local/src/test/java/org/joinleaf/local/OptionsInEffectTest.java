package org.joinleaf.local;

import static org.junit.Assert.assertEquals;

import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.ProviderSocket;
import org.junit.After;
import org.junit.Test;

/**
 * Issue 13 (item 2 of the follow-up), decision 26: getsockopt answers what is in effect on a local socket:
 * SO_RCVBUF is the receive queue's bound (what was set, lowered to the configured receiveQueueBytes), loopback and
 * scope as the socket applies them, also when set by ioctl.
 */
public class OptionsInEffectTest {
    private final Harness h = new Harness();

    @After
    public void stop() {
        h.close();
    }

    @Test
    public void receiveBufferIsTheQueueBoundInEffect() throws Exception {
        ProviderSocket s = h.leaf(LocalCatalog.MULTICAST).socket();
        long configured = h.network().settings.receiveLimits().perSocketBytes();
        assertEquals("before setsockopt: the configured bound", (int) Math.min(configured, Integer.MAX_VALUE),
                s.getOption(Winsock2.SOL_SOCKET, Winsock2.SO_RCVBUF));
        s.setOption(Winsock2.SOL_SOCKET, Winsock2.SO_RCVBUF, 1000);
        assertEquals(1000, s.getOption(Winsock2.SOL_SOCKET, Winsock2.SO_RCVBUF));
        s.setOption(Winsock2.SOL_SOCKET, Winsock2.SO_RCVBUF, Integer.MAX_VALUE);
        assertEquals("lowered to the configured bound", (int) Math.min(configured, Integer.MAX_VALUE),
                s.getOption(Winsock2.SOL_SOCKET, Winsock2.SO_RCVBUF));
    }

    @Test
    public void loopbackAndScopeSetByIoctlAreWhatGetsockoptReads() throws Exception {
        ProviderSocket s = h.leaf(LocalCatalog.MULTICAST).socket();
        s.ioctl(Winsock2.SIO_MULTIPOINT_LOOPBACK, Boolean.FALSE, null);
        s.ioctl(Winsock2.SIO_MULTICAST_SCOPE, 0, null);
        assertEquals(Boolean.FALSE, s.getOption(Winsock2.IPPROTO_IP, Winsock2.IP_MULTICAST_LOOP));
        assertEquals(0, s.getOption(Winsock2.IPPROTO_IP, Winsock2.IP_MULTICAST_TTL));
    }
}
