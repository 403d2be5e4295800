package org.joinleaf.runtime.shell;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.joinleaf.runtime.dto.CatalogEntryDTO;
import org.joinleaf.runtime.dto.CountersDTO;
import org.joinleaf.runtime.dto.ProviderDTO;
import org.joinleaf.runtime.dto.SocketDTO;
import org.junit.Test;

/** Issue 6 item 4: the joinleaf: commands render DTOs as aligned tables with XP1 bits by name. */
public class TablesTest {

    @Test
    public void xp1_decodesEveryBitByNameAndUnknownBitsInHex() {
        assertEquals("in bit order", "XP1_CONNECT_DATA|XP1_SUPPORT_MULTIPOINT",
                Tables.xp1(XP1_SUPPORT_MULTIPOINT | XP1_CONNECT_DATA));
        assertTrue(Tables.xp1(0x8000_0000).contains("0x80000000"));
        assertEquals("-", Tables.xp1(0));
    }

    @Test
    public void providers_oneBlockPerProviderWithAlignedEntries() {
        ProviderDTO p = new ProviderDTO();
        p.name = "tcp";
        p.ranking = 200;
        p.serviceId = 44;
        p.counters = counters(3, 1);
        CatalogEntryDTO e = new CatalogEntryDTO();
        e.catalogEntryId = 1005;
        e.protocol = "joinleaf tcp multipoint [rooted]";
        e.addressFamily = AF_INET;
        e.socketType = SOCK_STREAM;
        e.protocolNumber = IPPROTO_TCP;
        e.serviceFlags1 = XP1_QOS_SUPPORTED;
        p.entries = List.of(e);
        String[] lines = Tables.providers(List.of(p), "tcp").split("\n");
        assertEquals("provider 'tcp'  ranking 200  service.id 44  PINNED", lines[0]);
        assertEquals("  joins 3 attempted, 2 accepted, 1 refused;  in 3 msg/30 B;  out 1 msg/10 B;  evictions 1;"
                + "  errors WSAECONNREFUSED=1", lines[1]);
        // issue 15 item 6: af and type by their Winsock names
        assertEquals("  id    protocol                          af       type         proto  XP1 flags", lines[2]);
        assertEquals("  1005  joinleaf tcp multipoint [rooted]  AF_INET  SOCK_STREAM  6      XP1_QOS_SUPPORTED",
                lines[3]);
    }

    private static CountersDTO counters(long in, long out) {
        CountersDTO c = new CountersDTO();
        c.joinsAttempted = 3;
        c.joinsAccepted = 2;
        c.joinsRefused = 1;
        c.messagesIn = in;
        c.bytesIn = 10 * in;
        c.messagesOut = out;
        c.bytesOut = 10 * out;
        c.evictions = 1;
        c.errors = java.util.Map.of("WSAECONNREFUSED", 1L);
        return c;
    }

    @Test
    public void providers_noPinMarkWhenAnotherOrNoProviderIsPinned() {
        ProviderDTO p = new ProviderDTO();
        p.name = "default";
        p.counters = counters(0, 0);
        p.entries = List.of();
        assertEquals("provider 'default'  ranking 0  service.id 0", Tables.providers(List.of(p), "").split("\n")[0]);
        assertEquals("provider 'default'  ranking 0  service.id 0", Tables.providers(List.of(p), "tcp").split("\n")[0]);
    }

    // issue 6 item 4: a session lists the root's c_leafs with peer, state, counters (evictions included)
    @Test
    public void session_rootHeaderThenOneRowPerLeaf() {
        SocketDTO root = socket(260, "c_root/d_root", "idle", "");
        SocketDTO leaf = socket(264, "c_leaf/d_root", "joined", "127.0.0.1:50000");
        leaf.root = 260;
        String[] lines = Tables.session(root, List.of(leaf)).split("\n");
        // issue 15 item 6: handles in hex, as the log prints them
        assertEquals("session of c_root/d_root 0x104  (org.joinleaf.demo.root [26], provider 'tcp+qos', idle)",
                lines[0]);
        assertEquals("  leaf   state   peer             in          out         evictions  errors", lines[1]);
        assertEquals("  0x108  joined  127.0.0.1:50000  3 msg/30 B  1 msg/10 B  1          WSAECONNREFUSED=1",
                lines[2]);
        assertEquals("no leaves", Tables.session(root, List.of()).split("\n")[1].trim());
    }

    private static SocketDTO socket(long handle, String kind, String state, String peer) {
        SocketDTO s = new SocketDTO();
        s.process = "org.joinleaf.demo.root [26]";
        s.handle = handle;
        s.kind = kind;
        s.state = state;
        s.provider = "tcp+qos";
        s.entry = "x";
        s.peer = peer;
        s.counters = counters(3, 1);
        return s;
    }

    @Test
    public void sockets_groupedByProcessWithDashForNoPeer() {
        SocketDTO s = new SocketDTO();
        s.process = "org.joinleaf.demo.root [26]";
        s.handle = 260;
        s.kind = "c_root/d_root";
        s.state = "idle";
        s.provider = "tcp+qos";
        s.entry = "x";
        s.peer = "";
        s.counters = counters(3, 1);
        String[] lines = Tables.sockets(List.of(s)).split("\n");
        assertEquals("process org.joinleaf.demo.root [26]", lines[0]);
        assertEquals("  socket  kind           state  provider  peer  in          out         errors", lines[1]);
        assertEquals("  0x104   c_root/d_root  idle   tcp+qos   -     3 msg/30 B  1 msg/10 B  WSAECONNREFUSED=1",
                lines[2]);
        assertEquals("no open sockets", Tables.sockets(List.of()));
    }

    // issue 15 item 6: what a socket is doing, from the runtime's SocketState labels, shows as they are
    @Test
    public void sockets_showListeningAndClosedWithItsCode() {
        SocketDTO listening = socket(0x104, "c_root/d_root", "listening", "");
        SocketDTO orphan = socket(0x108, "c_leaf/d_leaf", "closed (WSAECONNRESET)", "127.0.0.1:7000");
        String[] lines = Tables.sockets(List.of(listening, orphan)).split("\n");
        assertTrue(lines[2], lines[2].matches("  0x104 +c_root/d_root +listening .*"));
        assertTrue(lines[3], lines[3].matches("  0x108 +c_leaf/d_leaf +closed \\(WSAECONNRESET\\) .*"));
    }

    @Test
    public void afAndTypeWithoutAName_showAsNumbers() {
        assertEquals("SOCK_SEQPACKET", Names.type(SOCK_SEQPACKET));
        assertEquals("AF_INET6", Names.family(AF_INET6));
        assertEquals("99", Names.type(99));
        assertEquals("42", Names.family(42));
    }
}
