package org.joinleaf.itests;

import static org.joinleaf.api.Winsock2.*;
import static org.joinleaf.itests.WinsockFixture.*;
import static org.junit.Assert.assertEquals;

import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The rooted suite against the in-JVM provider, plus group H on its multicast-like entry. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LocalConformanceIT extends RootedConformanceSuite {
    private static final String NP = "joinleaf local multicast [non-rooted]";
    private static int nextPort = 20000;

    @Configuration
    public Option[] config() {
        return new Option[] {JoinleafOptions.base(), CoreOptions.bundle(JoinleafOptions.projectBundle("provider.local"))};
    }

    @Override
    String rootedEntry() {
        return "joinleaf local multipoint [rooted]";
    }

    // ---- H: non-rooted ----

    @Test
    public void h42_h43_groupDeliveryLoopbackAndSenderOnly() {
        SOCKADDR group = SOCKADDR.of("239.255.1.1", nextPort++);
        SOCKET a = socket(root, NP, LEAF);
        SOCKET b = socket(leaf, NP, LEAF);
        SOCKET c = socket(leaf, NP, LEAF);
        assertEquals(a, root.WSAJoinLeaf(a, group, 16, null, null, null, null, JL_BOTH));
        assertEquals(b, leaf.WSAJoinLeaf(b, group, 16, null, null, null, null, JL_BOTH));
        assertEquals(c, leaf.WSAJoinLeaf(c, group, 16, null, null, null, null, JL_SENDER_ONLY));
        byte[] msg = "m".getBytes();
        assertEquals(1, root.sendto(a, msg, 1, 0, group, 16));
        byte[] in = new byte[8];
        assertEquals("H.42: B receives", 1, leaf.recv(b, in, in.length, 0));
        int[] avail = {0};
        assertEquals(0, root.ioctlsocket(a, FIONREAD, avail));
        assertEquals("H.42: loopback is on by default", 1, avail[0]);
        assertFails(leaf, WSAESHUTDOWN, leaf.recv(c, in, in.length, 0)); // H.43, decisions 6
        assertEquals(1, root.recv(a, in, in.length, 0));
        assertEquals(0, root.WSAIoctl(a, SIO_MULTIPOINT_LOOPBACK, new int[] {0}, 4, null, 0, new int[1]));
        assertEquals(1, root.sendto(a, msg, 1, 0, group, 16));
        assertEquals(1, leaf.recv(b, in, in.length, 0));
        assertEquals(0, root.ioctlsocket(a, FIONREAD, avail));
        assertEquals("H.42: loopback off, the sender does not hear itself", 0, avail[0]);
        assertFails(root, WSAENOPROTOOPT, root.WSAIoctl(a, SIO_GET_QOS, null, 0, new org.joinleaf.api.QOS(),
                org.joinleaf.api.QOS.SIZE, new int[1])); // K.52
    }
}
