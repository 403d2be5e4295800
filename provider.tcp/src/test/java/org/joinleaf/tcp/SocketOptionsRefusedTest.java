package org.joinleaf.tcp;

import static org.joinleaf.spi.testkit.WsaAssert.expectWsa;

import org.joinleaf.api.LINGER;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.junit.Test;

/**
 * Issue 13 (item 2 of the follow-up), decision 26: provider.tcp applies no setsockopt option (its links are shared
 * per session and tuned by its configuration), so every option the runtime's table hands a socket of its entries is
 * refused with WSAENOPROTOOPT ("unsupported for the specified provider"), never accepted and ignored.
 */
public class SocketOptionsRefusedTest extends ProviderFixture {

    @Test
    public void everyOptionTheTableHandsOverIsNoProtoOpt() throws Exception {
        for (int flags : new int[] {C_ROOT_D_ROOT, C_LEAF_D_LEAF}) {
            MultipointSocket s = socket(true, flags, new RecordingUpcalls("s"));
            Object[][] options = {
                {Winsock2.SOL_SOCKET, Winsock2.SO_REUSEADDR, Boolean.TRUE},
                {Winsock2.SOL_SOCKET, Winsock2.SO_EXCLUSIVEADDRUSE, Boolean.TRUE},
                {Winsock2.SOL_SOCKET, Winsock2.SO_RCVBUF, 65536},
                {Winsock2.SOL_SOCKET, Winsock2.SO_SNDBUF, 65536},
                {Winsock2.SOL_SOCKET, Winsock2.SO_LINGER, new LINGER(1, 2)},
                {Winsock2.SOL_SOCKET, Winsock2.SO_DONTLINGER, Boolean.TRUE},
                {Winsock2.SOL_SOCKET, Winsock2.SO_KEEPALIVE, Boolean.TRUE},
                {Winsock2.IPPROTO_IP, Winsock2.IP_TTL, 64},
            };
            for (Object[] o : options) {
                expectWsa(Winsock2.WSAENOPROTOOPT, () -> s.setOption((Integer) o[0], (Integer) o[1], o[2]));
            }
        }
    }
}
