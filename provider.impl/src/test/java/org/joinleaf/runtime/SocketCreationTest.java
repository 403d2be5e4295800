package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;

import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.junit.Test;

/** Conformance B: multipoint flags against catalog entries (§1.2, decisions 3) and catalog order (decisions 12). */
public class SocketCreationTest extends ScriptedRuntimeTest {

    @Test
    public void b5_leafOnNonRootedEntryShowsThatEntry_s5() {
        SOCKET s = npLeaf();
        WSAPROTOCOL_INFO info = protocolInfo(s);
        assertEquals("P-np", info.szProtocol);
        assertEquals(NP_FLAGS, info.dwServiceFlags1);
        assertEquals(np.id(), info.ProviderId);
        assertEquals("the provider got the flags", LEAF, np.lastSocket().dwFlags);
    }

    @Test
    public void b6_controlRootOnNonRootedControlPlaneIsInvalid_s6_decisions3() {
        assertFails(WSAEINVAL, ws.WSASocket(AF_INET, NP_TYPE, 0, null, 0,
                WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_LEAF));
        assertEquals("nothing reached the provider", 0, np.sockets().size());
    }

    @Test
    public void b7_dataRootOnNonRootedDataPlaneIsInvalid_s7_decisions3() {
        assertFails(WSAEINVAL, ws.WSASocket(AF_INET, NP_TYPE, 0, null, 0,
                WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_ROOT));
    }

    @Test
    public void b8_rootedRootedEntryMakesAllFourKinds_s8() {
        int[] controls = {WSA_FLAG_MULTIPOINT_C_ROOT, WSA_FLAG_MULTIPOINT_C_LEAF};
        int[] datas = {WSA_FLAG_MULTIPOINT_D_ROOT, WSA_FLAG_MULTIPOINT_D_LEAF};
        for (int c : controls) {
            for (int d : datas) {
                SOCKET s = socket(AF_INET, RR_TYPE, 0, c | d);
                assertEquals("P-rr", protocolInfo(s).szProtocol);
            }
        }
        assertEquals(4, rr.sockets().size());
    }

    @Test
    public void b9_twoControlOrTwoDataFlagsAreInvalid_s9_decisions3() {
        assertFails(WSAEINVAL, ws.WSASocket(AF_INET, RR_TYPE, 0, null, 0,
                WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF));
        assertFails(WSAEINVAL, ws.WSASocket(AF_INET, RR_TYPE, 0, null, 0,
                WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_ROOT | WSA_FLAG_MULTIPOINT_D_LEAF));
    }

    @Test
    public void b10_multipointFlagOnEntryWithoutMultipointIsInvalid_s10_decisions3() {
        ScriptedProvider tcp = ScriptedProvider.withJoin().entry("tcp", AF_INET, SOCK_STREAM, IPPROTO_TCP,
                XP1_GUARANTEED_DELIVERY | XP1_GUARANTEED_ORDER);
        catalog.add(tcp, "tcp", 0, 3L);
        assertFails(WSAEINVAL, ws.WSASocket(AF_INET, SOCK_STREAM, 0, null, 0, LEAF));
        socket(AF_INET, SOCK_STREAM, 0, 0); // without multipoint flags it is fine
    }

    @Test
    public void socketGoesToTheFirstMatchThatCanMakeItsKind_decisions3_decisions12() {
        // a multipoint-only rooted TCP provider ranked above a plain TCP provider (provider.tcp over the default)
        ScriptedProvider mpTcp = ScriptedProvider.withJoin().multipointOnly().entry("mp-tcp", AF_INET, SOCK_STREAM,
                IPPROTO_TCP, XP1_SUPPORT_MULTIPOINT | XP1_MULTIPOINT_CONTROL_PLANE | XP1_MULTIPOINT_DATA_PLANE);
        ScriptedProvider plainTcp = ScriptedProvider.withoutJoin().entry("plain-tcp", AF_INET, SOCK_STREAM,
                IPPROTO_TCP, XP1_GUARANTEED_DELIVERY | XP1_GUARANTEED_ORDER);
        catalog.add(plainTcp, "plain", Integer.MIN_VALUE, 3L);
        catalog.add(mpTcp, "mp", 200, 4L);

        assertEquals("a multipoint socket goes to the multipoint entry", "mp-tcp",
                protocolInfo(socket(AF_INET, SOCK_STREAM, 0, ROOT)).szProtocol);
        assertEquals("a plain socket passes the multipoint-only entry by", "plain-tcp",
                protocolInfo(socket(AF_INET, SOCK_STREAM, 0, 0)).szProtocol);
        assertEquals(1, plainTcp.sockets().size());

        // every match refuses: the first refusal is reported (decisions 3: WSAEINVAL for the flags)
        catalog.remove(mpTcp);
        assertFails(WSAEINVAL, ws.WSASocket(AF_INET, SOCK_STREAM, 0, null, 0, LEAF));
        catalog.remove(plainTcp);
        catalog.add(mpTcp, "mp", 200, 5L);
        assertFails(WSAESOCKTNOSUPPORT, ws.WSASocket(AF_INET, SOCK_STREAM, 0, null, 0, 0));
    }

    @Test
    public void catalogOrderIsRankingThenRegistrationAndSocketTakesFirstMatch_decisions12() {
        ScriptedProvider older = ScriptedProvider.withJoin().entry("older", AF_INET, SOCK_DGRAM, IPPROTO_UDP, NP_FLAGS);
        ScriptedProvider newer = ScriptedProvider.withJoin().entry("newer", AF_INET, SOCK_DGRAM, IPPROTO_UDP, NP_FLAGS);
        catalog.add(newer, "newer", 10, 20L);
        catalog.add(older, "older", 10, 10L);

        int[] len = {10 * WSAPROTOCOL_INFO.SIZE};
        WSAPROTOCOL_INFO[] buf = WSAPROTOCOL_INFO.array(len[0]);
        assertEquals(4, ws.WSAEnumProtocols(null, buf, len));
        assertEquals("older", buf[0].szProtocol);
        assertEquals("newer", buf[1].szProtocol);
        assertEquals("P-np", buf[2].szProtocol);
        assertEquals("P-rr", buf[3].szProtocol);

        SOCKET s = npLeaf();
        assertEquals("older", protocolInfo(s).szProtocol);
        assertEquals(1, older.sockets().size());
        assertEquals(0, np.sockets().size());
    }

    @Test
    public void socketOnNamedCatalogEntry_s4() {
        int[] len = {10 * WSAPROTOCOL_INFO.SIZE};
        WSAPROTOCOL_INFO[] buf = WSAPROTOCOL_INFO.array(len[0]);
        ws.WSAEnumProtocols(new int[] {IPPROTO_RM, 0}, buf, len);
        SOCKET s = ws.WSASocket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, buf[0], 0, ROOT);
        assertEquals("P-rr", protocolInfo(s).szProtocol);
    }

    @Test
    public void nothingMatchingNamesTheFieldThatDidNotMatch_s4() {
        assertFails(WSAEAFNOSUPPORT, ws.WSASocket(AF_INET6, NP_TYPE, 0, null, 0, LEAF));
        assertFails(WSAESOCKTNOSUPPORT, ws.WSASocket(AF_INET, SOCK_STREAM, 0, null, 0, 0));
        assertFails(WSAEPROTONOSUPPORT, ws.WSASocket(AF_INET, NP_TYPE, IPPROTO_TCP, null, 0, 0));
    }

    private WSAPROTOCOL_INFO protocolInfo(SOCKET s) {
        WSAPROTOCOL_INFO info = new WSAPROTOCOL_INFO();
        int[] len = {WSAPROTOCOL_INFO.SIZE};
        assertOk(ws.getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFO, info, len));
        return info;
    }
}
