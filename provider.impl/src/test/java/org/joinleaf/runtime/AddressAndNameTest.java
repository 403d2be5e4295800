package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.joinleaf.api.ADDRINFO;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.SOCKET_ADDRESS_LIST;
import org.joinleaf.api.WSAOVERLAPPED;
import org.junit.Assume;
import org.junit.Test;

/**
 * Issue 13, deliverable 1: the address and name functions, byte-order helpers, gethostname and
 * SIO_ADDRESS_LIST_QUERY through the nine-argument WSAIoctl, each with its success path and Winsock's codes. No
 * name ever leaves the host: names are numeric or "localhost" (the hosts file).
 */
public class AddressAndNameTest extends LoopbackRuntimeTest {

    @Test
    public void byteOrderIsThatOfAWindowsHost() {
        assertEquals((short) 0x3412, htons((short) 0x1234));
        assertEquals(0x78563412, htonl(0x12345678));
        assertEquals((short) 0x1234, ntohs(htons((short) 0x1234)));
        assertEquals(0x12345678, ntohl(htonl(0x12345678)));
        SOCKET s = udp();
        short[] sh = new short[1];
        int[] in = new int[1];
        assertOk(ws.WSAHtons(s, (short) 5150, sh));
        assertEquals(htons((short) 5150), sh[0]);
        assertOk(ws.WSANtohl(s, htonl(7), in));
        assertEquals(7, in[0]);
        assertOk(ws.WSAHtonl(s, 7, in));
        assertOk(ws.WSANtohs(s, sh[0], sh));
        assertEquals(5150, sh[0]);
        assertFails(WSAEFAULT, ws.WSAHtons(s, (short) 1, null));
        assertOk(ws.closesocket(s));
        assertFails(WSAENOTSOCK, ws.WSAHtonl(s, 1, in));
    }

    @Test
    public void inetAddrTakesTheBsdFormsAndInetNtoaPrintsThem() {
        int a = ws.inet_addr("127.0.0.1");
        assertEquals(INADDR_LOOPBACK, ntohl(a));
        assertEquals(a, SOCKADDR.of("127.0.0.1", 0).sin_addr());
        assertEquals(a, ws.inet_addr("127.1"));
        assertEquals(a, ws.inet_addr("0x7f.0.0.01"));
        assertEquals(a, ws.inet_addr("2130706433"));
        assertEquals("127.0.0.1", ws.inet_ntoa(a));
        assertEquals("239.255.1.2", ws.inet_ntoa(ws.inet_addr("239.255.1.2")));
        assertEquals(INADDR_NONE, ws.inet_addr("256.1.1.1"));
        assertEquals(INADDR_NONE, ws.inet_addr("1.2.3.4.5"));
        assertEquals(INADDR_NONE, ws.inet_addr("host.example"));
        assertEquals(INADDR_NONE, ws.inet_addr(""));
    }

    @Test
    public void inetPtonAndNtop() {
        byte[] v4 = new byte[4];
        assertEquals(1, ws.inet_pton(AF_INET, "239.255.0.1", v4));
        assertArrayEquals(new byte[] {(byte) 239, (byte) 255, 0, 1}, v4);
        assertEquals(0, ws.inet_pton(AF_INET, "239.255.0", v4)); // pton takes only the full form
        byte[] v6 = new byte[16];
        assertEquals(1, ws.inet_pton(AF_INET6, "ff15::1:2", v6));
        assertEquals(0, ws.inet_pton(AF_INET6, "localhost", v6));
        assertEquals(-1, ws.inet_pton(12, "1.2.3.4", v4));
        assertLastError(WSAEAFNOSUPPORT);
        assertEquals(-1, ws.inet_pton(AF_INET6, "::1", v4));
        assertLastError(WSAEFAULT);
        StringBuilder text = new StringBuilder();
        assertEquals("ff15::1:2", ws.inet_ntop(AF_INET6, v6, text, INET6_ADDRSTRLEN));
        assertEquals("ff15::1:2", text.toString());
        assertEquals("239.255.0.1", ws.inet_ntop(AF_INET, v4, text, INET_ADDRSTRLEN));
        assertNull(ws.inet_ntop(AF_INET, v4, text, 5));
        assertLastError(WSA_INVALID_PARAMETER);
        assertNull(ws.inet_ntop(99, v4, text, 64));
        assertLastError(WSAEAFNOSUPPORT);
    }

    @Test
    public void stringToAddressAndBack() {
        SOCKADDR a = new SOCKADDR();
        int[] len = {SOCKADDR.SIZEOF_SOCKADDR_IN};
        assertOk(ws.WSAStringToAddress("127.0.0.1:5150", AF_INET, null, a, len));
        assertEquals(SOCKADDR.of("127.0.0.1", 5150), a);
        StringBuilder text = new StringBuilder();
        int[] textLen = {64};
        assertOk(ws.WSAAddressToString(a, IN_LEN, null, text, textLen));
        assertEquals("127.0.0.1:5150", text.toString());
        assertEquals(15, textLen[0]);
        SOCKADDR six = new SOCKADDR();
        int[] len6 = {SOCKADDR.SIZEOF_SOCKADDR_IN6};
        assertOk(ws.WSAStringToAddress("[ff15::1%3]:7", AF_INET6, null, six, len6));
        assertEquals(3, six.scopeId);
        assertEquals(7, six.port);
        textLen[0] = 64;
        assertOk(ws.WSAAddressToString(six, SOCKADDR.SIZEOF_SOCKADDR_IN6, null, text, textLen));
        assertEquals("[ff15::1%3]:7", text.toString());
        // errors
        assertFails(WSAEINVAL, ws.WSAStringToAddress("localhost:80", AF_INET, null, a, len));
        len[0] = 8;
        assertFails(WSAEFAULT, ws.WSAStringToAddress("127.0.0.1", AF_INET, null, a, len));
        assertEquals("the size needed is reported", SOCKADDR.SIZEOF_SOCKADDR_IN, len[0]);
        assertFails(WSAEAFNOSUPPORT, ws.WSAStringToAddress("127.0.0.1", 99, null, a, len));
        textLen[0] = 5;
        assertFails(WSAEFAULT, ws.WSAAddressToString(a, IN_LEN, null, text, textLen));
        assertEquals(15, textLen[0]);
        assertFails(WSAEINVAL, ws.WSAAddressToString(new SOCKADDR(), IN_LEN, null, text, new int[] {64}));
    }

    @Test
    public void getaddrinfoNumericPassiveAndThroughTheResolver() {
        ADDRINFO hints = new ADDRINFO();
        hints.ai_family = AF_INET;
        hints.ai_socktype = SOCK_DGRAM;
        ADDRINFO[] res = new ADDRINFO[1];
        assertEquals(0, ws.getaddrinfo("239.255.0.1", "5150", hints, res));
        assertEquals(SOCKADDR.of("239.255.0.1", 5150), res[0].ai_addr);
        assertEquals(IPPROTO_UDP, res[0].ai_protocol);
        assertEquals(IN_LEN, res[0].ai_addrlen);
        ws.freeaddrinfo(res[0]);
        hints.ai_flags = AI_PASSIVE;
        assertEquals(0, ws.getaddrinfo(null, "http", hints, res));
        assertEquals(SOCKADDR.any(AF_INET, 80), res[0].ai_addr);
        hints.ai_flags = AI_CANONNAME;
        assertEquals(0, ws.getaddrinfo("localhost", null, hints, res)); // hosts file, through the JDK resolver
        assertTrue(res[0].ai_addr.toInetSocketAddress().getAddress().isLoopbackAddress());
        assertNotNull(res[0].ai_canonname);
    }

    @Test
    public void getaddrinfoAnswersWinsocksCodes() {
        ADDRINFO hints = new ADDRINFO();
        ADDRINFO[] res = new ADDRINFO[1];
        hints.ai_flags = AI_NUMERICHOST;
        assertEquals(WSAHOST_NOT_FOUND, ws.getaddrinfo("localhost", "80", hints, res));
        assertLastError(EAI_NONAME);
        hints.ai_flags = 0;
        assertEquals(EAI_NONAME, ws.getaddrinfo(null, null, hints, res));
        hints.ai_family = 99;
        assertEquals(WSAEAFNOSUPPORT, ws.getaddrinfo("127.0.0.1", "80", hints, res));
        hints.ai_family = AF_INET;
        hints.ai_socktype = 77;
        assertEquals(WSAESOCKTNOSUPPORT, ws.getaddrinfo("127.0.0.1", "80", hints, res));
        hints.ai_socktype = 0;
        assertEquals(WSATYPE_NOT_FOUND, ws.getaddrinfo("127.0.0.1", "no-such-service", hints, res));
        hints.ai_flags = 0x40000000;
        assertEquals(WSAEINVAL, ws.getaddrinfo("127.0.0.1", "80", hints, res));
        hints.ai_flags = 0;
        hints.ai_family = AF_INET6;
        assertEquals(EAI_NONAME, ws.getaddrinfo("127.0.0.1", "80", hints, res)); // an IPv4 literal for AF_INET6
        assertOk(ws.WSACleanup());
        assertEquals(WSANOTINITIALISED, ws.getaddrinfo("127.0.0.1", "80", null, res));
    }

    /**
     * getaddrinfo's documentation: WSANO_DATA when the name is valid but has no address of the asked family. The
     * name is one the JDK resolver knows with addresses of one family only (the host name, or a hosts-file name).
     */
    @Test
    public void aNameWithoutAnAddressOfTheFamilyIsNoData() throws Exception {
        String name = null;
        int missing = 0;
        for (String candidate : hostsFileNames()) {
            InetAddress[] all;
            try {
                all = InetAddress.getAllByName(candidate);
            } catch (UnknownHostException e) {
                continue;
            }
            boolean v4 = Arrays.stream(all).anyMatch(a -> a instanceof Inet4Address);
            boolean v6 = Arrays.stream(all).anyMatch(a -> a instanceof Inet6Address);
            if (v4 != v6) {
                name = candidate;
                missing = v4 ? AF_INET6 : AF_INET;
                break;
            }
        }
        Assume.assumeTrue("no name of /etc/hosts has addresses of one family only", name != null);
        ADDRINFO hints = new ADDRINFO();
        hints.ai_family = missing;
        ADDRINFO[] res = new ADDRINFO[1];
        assertEquals(name + " for family " + missing, WSANO_DATA, ws.getaddrinfo(name, "80", hints, res));
        assertLastError(WSANO_DATA);
        hints.ai_family = missing == AF_INET ? AF_INET6 : AF_INET;
        assertEquals("the other family resolves", 0, ws.getaddrinfo(name, "80", hints, res));
    }

    /** The names of the hosts file, which the resolver answers without asking a name server. */
    private static List<String> hostsFileNames() throws IOException {
        Path hosts = Path.of("/etc/hosts");
        List<String> names = new ArrayList<>();
        if (Files.isReadable(hosts)) {
            for (String line : Files.readAllLines(hosts)) {
                String[] fields = line.replaceAll("#.*", "").trim().split("\\s+");
                names.addAll(Arrays.asList(fields).subList(Math.min(1, fields.length), fields.length));
            }
        }
        return names;
    }

    @Test
    public void getnameinfoNumericAndNamed() {
        StringBuilder host = new StringBuilder();
        StringBuilder serv = new StringBuilder();
        SOCKADDR a = SOCKADDR.of("127.0.0.1", 80);
        assertEquals(0, ws.getnameinfo(a, IN_LEN, host, NI_MAXHOST, serv, NI_MAXSERV, NI_NUMERICHOST | NI_NUMERICSERV));
        assertEquals("127.0.0.1", host.toString());
        assertEquals("80", serv.toString());
        assertEquals(0, ws.getnameinfo(a, IN_LEN, null, 0, serv, NI_MAXSERV, 0));
        assertEquals("http", serv.toString());
        assertEquals(WSAEFAULT, ws.getnameinfo(a, IN_LEN, host, 4, null, 0, NI_NUMERICHOST));
        assertEquals(WSAEFAULT, ws.getnameinfo(a, 8, host, NI_MAXHOST, null, 0, NI_NUMERICHOST));
        assertEquals(EAI_FAMILY, ws.getnameinfo(new SOCKADDR(), IN_LEN, host, NI_MAXHOST, null, 0, 0));
        assertEquals(EAI_NONAME, ws.getnameinfo(a, IN_LEN, null, 0, null, 0, 0));
        assertEquals(EAI_BADFLAGS, ws.getnameinfo(a, IN_LEN, host, NI_MAXHOST, null, 0, 0x4000));
    }

    @Test
    public void gethostnameFillsTheBufferOrSaysHowSmallItIs() {
        StringBuilder name = new StringBuilder();
        assertOk(ws.gethostname(name, 256));
        assertTrue(name.length() > 0);
        assertFails(WSAEFAULT, ws.gethostname(new StringBuilder(), name.length())); // no room for the NUL
        assertOk(ws.WSACleanup());
        assertFails(WSANOTINITIALISED, ws.gethostname(name, 256));
    }

    @Test
    public void addressListQueryThroughTheNineArgumentIoctl() {
        SOCKET s = udp();
        int[] returned = new int[1];
        SOCKET_ADDRESS_LIST list = new SOCKET_ADDRESS_LIST();
        assertFails(WSAEFAULT, ws.WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, null, 0, list, 8, returned, null, null));
        int needed = returned[0];
        assertTrue("at least 127.0.0.1: " + needed, needed >= 8 + 16 + IN_LEN);
        assertOk(ws.WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, null, 0, list, needed, returned, null, null));
        assertEquals(needed, returned[0]);
        boolean loopback = false;
        for (int i = 0; i < list.iAddressCount; i++) {
            assertEquals(IN_LEN, list.Address[i].iSockaddrLength);
            loopback |= list.Address[i].lpSockaddr.equals(SOCKADDR.of("127.0.0.1", 0));
        }
        assertTrue("127.0.0.1 is listed", loopback);
        assertFails(WSAEINVAL, ws.WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, null, 0, list, needed, returned,
                new WSAOVERLAPPED(), null));
        assertFails(WSAEINVAL, ws.WSAIoctl(s, FIONBIO, new int[] {1}, 4, null, 0, returned, null,
                (e, c, o, f) -> { }));
        assertOk(ws.WSAIoctl(s, FIONBIO, new int[] {1}, 4, null, 0, returned, null, null));
        // WSAIoctl's documentation: "dwIoControlCode is not a valid command" is WSAEINVAL
        assertFails(WSAEINVAL, ws.WSAIoctl(s, 0x48000077, null, 0, null, 0, returned, null, null));
        assertOk(ws.closesocket(s));
        assertFails(WSAENOTSOCK, ws.WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, null, 0, list, needed, returned, null,
                null));
    }
}
