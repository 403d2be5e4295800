package org.joinleaf.ports.mcastatm;

import static org.joinleaf.api.Winsock2.FROM_PROTOCOL_INFO;
import static org.joinleaf.api.Winsock2.JL_SENDER_ONLY;
import static org.joinleaf.api.Winsock2.MAKEWORD;
import static org.joinleaf.api.Winsock2.SOCKET_ERROR;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_C_LEAF;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_C_ROOT;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_D_LEAF;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_D_ROOT;
import static org.joinleaf.api.Winsock2.WSA_FLAG_OVERLAPPED;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSABUF;
import org.joinleaf.api.WSADATA;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.api.Winsock;

//
// Sample: multicasting on ATM (rooted control and data planes), ported to joinleaf.
//
// Original: "Network Programming for Microsoft Windows", second edition, by Anthony Jones and Jim Ohlund (Microsoft
// Press, 2002), sample chapter09/atm/mcastatm.cpp (with support.cpp, see Support.java) as kept in the public
// repository github.com/c3827286/NetworkProgrammingForMicrosoftWindows2e (commit 990f893c). This file is joinleaf's
// own code: it follows the original's structure, function and variable names, control flow and output line by line;
// comments say what the original's comments say, in our words. Every line that had to change ends in
// "// PORT: <why>"; ports/README.md tables the kinds of change. The original is not part of this repository.
//
// What it does: ATM multicast has a rooted control plane and a rooted data plane. The root (-s) invites each leaf
// address given with -l by calling WSAJoinLeaf; leaves do not join, they wait in WSAAccept for the invitation. An
// ATM address here is the first 38 hex digits; the last 2 (the selector, the "port") come from -p. The root then
// sends -n messages of 128 bytes, which reach every leaf. joinleaf has no ATM: Support.AtmToIp maps each ATM
// address to an IP socket address, and FindProtocol picks the first IPv4 entry with rooted control and data planes.
//
// Command line (argv[0] is the program name):
//     mcastatm -s -l ATM-Addr -i ATM-Addr -p XX -n int
//           -s       Act as root
//           -l str   Leaf address to invite (38 chars); may be given several times
//           -i str   Local interface to bind to (38 chars)
//           -p xx    Port number (2 hex chars)
//           -n int   Number of packets to send
//
public final class Mcastatm extends Support { // PORT: a C program is a class; its globals are fields


static final int BUFSIZE               = 1024; // PORT: #define is a constant
static final int MAX_ATM_LEAF          =    4; // PORT: #define is a constant

static final int ATM_PORT_OFFSET       = ((ATM_ADDR_SIZE*2)-2); // PORT: #define is a constant
static final int MAX_ATM_STR_LEN       = (ATM_ADDR_SIZE*2); // PORT: #define is a constant

int    dwAddrCount=0, // PORT: DWORD is int
       dwDataCount=20;
boolean bServer=FALSE, // PORT: BOOL is boolean
       bLocalAddress=FALSE;
String[] szLeafAddresses = new String[MAX_ATM_LEAF]; // PORT: char [MAX_ATM_LEAF][MAX_ATM_STR_LEN+1] is String[]
String szLocalAddress = "", // PORT: char [MAX_ATM_STR_LEN+1] is String
       szPort = ""; // PORT: char [3] is String
SOCKET[] sLeafSock = new SOCKET[MAX_ATM_LEAF]; // PORT: SOCKET [] is an array object

    /** A program instance on {@code ws}; {@code stdin} answers the root's "Press a key to start sending." */ // PORT: no globals: the Winsock service and stdio are handed in
    public Mcastatm(Winsock ws, PrintStream stdout, PrintStream stderr, InputStream stdin) { // PORT: as above
        super(ws, stdout, stderr, stdin); // PORT: as above
    } // PORT: as above

// Module: usage
//
// Description:
//     Prints how to call the program.
//
void usage(String progname) // PORT: char * is String
{
    printf("usage: %s [-s]\n", progname);
    printf("     -s       Act as root\n");
    printf("     -l str   Leaf address to invite (38 chars)\n");
    printf("               May be specified multiple times\n");
    printf("     -i str   Local interface to bind to (38 chars)\n");
    printf("     -p xx    Port number (2 hex chars)\n");
    printf("     -n int   Number of packets to send\n");
    ExitProcess(1);
}

// Module: ValidateArgs
//
// Description:
//     Reads the command line.
//
void ValidateArgs(int argc, String[] argv) // PORT: char ** is String[]
{
    int      i;

    java.util.Arrays.fill(szLeafAddresses, ""); // PORT: memset(szLeafAddresses, 0, ...): empty strings
    szPort = ""; // PORT: memset(szPort, 0, sizeof(szPort))

    for(i=1; i < argc ;i++)
    {
        if ((argv[i].charAt(0) == '-') || (argv[i].charAt(0) == '/')) // PORT: argv[i][0] is charAt(0)
        {
            switch (tolower(argv[i].charAt(1))) // PORT: argv[i][1] is charAt(1)
            {
                case 's':     // root
                    bServer = TRUE;
                    break;
                case 'l':     // leaf address
                    if (i+1 >=argc)
                        usage(argv[0]);
                    szLeafAddresses[dwAddrCount++] = strncpy(argv[++i], MAX_ATM_STR_LEN-2); // PORT: strncpy into a char[] is a truncated String
                    break;
                case 'i':     // local interface
                    if (i+1 >= argc)
                        usage(argv[0]);
                    szLocalAddress = strncpy(argv[++i], MAX_ATM_STR_LEN-2); // PORT: strncpy into a char[] is a truncated String
                    bLocalAddress = TRUE;
                    break;
                case 'p':     // port (selector) to use
                    if (i+1 >= argc)
                        usage(argv[0]);
                    szPort = strncpy(argv[++i], 2); // PORT: strncpy into a char[] is a truncated String
                    break;
                case 'n':     // how many packets to send
                    if (i+1 >= argc)
                        usage(argv[0]);
                    dwDataCount = atoi(argv[++i]);
                    break;
                default:
                    usage(argv[0]);
                    break;
            }
        }
    }
    return;
}

/** {@code strncpy(dest, src, n)} into a fresh buffer: at most {@code n} characters of {@code src}. */ // PORT: addition
private static String strncpy(String src, int n) { // PORT: addition
    return src.length() <= n ? src : src.substring(0, n); // PORT: addition
} // PORT: addition

//
// Function: Server
//
// Description:
//    Binds to the local interface, then invites every leaf address given on the command line and, once they are
//    all connected, sends the data.
//
void Server(SOCKET s, WSAPROTOCOL_INFO lpSocketProtocol) // PORT: WSAPROTOCOL_INFO * is a reference
{
    // Root side
    //
    SOCKADDR_ATM  atmleaf, atmroot;
    WSABUF        wsasend = new WSABUF(); // PORT: a structure is an object
    byte[]        sendbuf = new byte[BUFSIZE]; // PORT: char [] buffer is byte[]
    StringBuilder szAddr = new StringBuilder(BUFSIZE); // PORT: char [] text buffer is a StringBuilder
    int[]         dwBytesSent = {0}; // PORT: DWORD out parameter is an int[1]
    int           dwNumInterfaces, // PORT: DWORD is int
                  i; // PORT: DWORD is int
    int[]         dwAddrLen={BUFSIZE}; // PORT: DWORD in/out parameter is an int[1]
    int           ret;

    // Without -i, take the first local interface
    //
    atmroot = new SOCKADDR_ATM(); // PORT: memset(&atmroot, 0, sizeof(SOCKADDR_ATM)) is a new structure
    if (!bLocalAddress)
    {
        dwNumInterfaces = GetNumATMInterfaces(s);
        GetATMAddress(s, 0, atmroot.satm_number); // PORT: &atmroot.satm_number is the reference
    }
    else
        AtoH(atmroot.satm_number.Addr, 0, szLocalAddress, // PORT: (char *)&Addr[0] is the array and offset 0
            ATM_ADDR_SIZE-1);
    //
    // The port (selector) goes into the address
    //
    AtoH(atmroot.satm_number.Addr, ATM_ADDR_SIZE-1, szPort, 1); // PORT: (char *)&Addr[ATM_ADDR_SIZE-1] is the array and that offset
    //
    // The rest of the SOCKADDR_ATM
    //
    atmroot.satm_family                 = AF_ATM;
    atmroot.satm_number.AddressType     = ATM_NSAP;
    atmroot.satm_number.NumofDigits     = ATM_ADDR_SIZE;
    atmroot.satm_blli.Layer2Protocol    = SAP_FIELD_ANY;
    atmroot.satm_blli.Layer3Protocol    = SAP_FIELD_ABSENT;
    atmroot.satm_bhli.HighLayerInfoType = SAP_FIELD_ABSENT;
    //
    // Say what we bind to, then bind()
    //
    if (WSAAddressToString(AtmToIp(atmroot), // PORT: ATM mapped to IP: the IP address is printed
        AtmToIp(atmroot).size(), lpSocketProtocol, szAddr, // PORT: ATM mapped to IP: sizeof(atmroot) is the IP address's size
        dwAddrLen) != 0) // PORT: &dwAddrLen is the array; an int is not a boolean
    {
        printf("WSAAddressToString failed: %d\n",
            WSAGetLastError());
    }
    printf("Binding to: <%s>\n", szAddr);

    if (bind(s, AtmToIp(atmroot), // PORT: ATM mapped to IP: (SOCKADDR *)&atmroot is its IP socket address
        AtmToIp(atmroot).size()) == SOCKET_ERROR) // PORT: ATM mapped to IP: sizeof(SOCKADDR_ATM) is the IP address's size
    {
        printf("bind() failed: %d\n", WSAGetLastError());
        return;
    }
    // Invite every leaf
    //
    for(i=0; i < dwAddrCount ;i++)
    {
        // This leaf's SOCKADDR_ATM
        //
        atmleaf = new SOCKADDR_ATM(); // PORT: memset(&atmleaf, 0, sizeof(SOCKADDR_ATM)) is a new structure
        AtoH(atmleaf.satm_number.Addr, 0, szLeafAddresses[i], // PORT: (char *)&Addr[0] is the array and offset 0
            ATM_ADDR_SIZE-1);
        AtoH(atmleaf.satm_number.Addr, ATM_ADDR_SIZE-1, szPort, // PORT: (char *)&Addr[ATM_ADDR_SIZE-1] is the array and that offset
            1);

        atmleaf.satm_family                 = AF_ATM;
        atmleaf.satm_number.AddressType     = ATM_NSAP;
        atmleaf.satm_number.NumofDigits     = ATM_ADDR_SIZE;
        atmleaf.satm_blli.Layer2Protocol    = SAP_FIELD_ANY;
        atmleaf.satm_blli.Layer3Protocol    = SAP_FIELD_ABSENT;
        atmleaf.satm_bhli.HighLayerInfoType = SAP_FIELD_ABSENT;
        //
        // Say which leaf, then invite it
        //
        if (WSAAddressToString(AtmToIp(atmleaf), // PORT: ATM mapped to IP: the IP address is printed
            AtmToIp(atmleaf).size(), lpSocketProtocol, szAddr, // PORT: ATM mapped to IP: sizeof(atmleaf) is the IP address's size
            dwAddrLen) != 0) // PORT: &dwAddrLen is the array; an int is not a boolean
        {
            printf("WSAAddressToString failed: %d\n",
                WSAGetLastError());
        }
        printf("[%02d] Inviting: <%s>\n", i, szAddr);

        if ((sLeafSock[i] = WSAJoinLeaf(s,
            AtmToIp(atmleaf), AtmToIp(atmleaf).size(), null, // PORT: ATM mapped to IP; NULL is null
            null, null, null, JL_SENDER_ONLY)) // PORT: NULL is null
            == SOCKET.INVALID_SOCKET) // PORT: INVALID_SOCKET is SOCKET.INVALID_SOCKET
        {
            printf("WSAJoinLeaf() failed: %d\n",
                WSAGetLastError());
            WSACleanup();
            return;
        }
    }
    // ATM differs from TCP here: when WSAJoinLeaf (or connect) returns, the peer may not have accepted yet, and
    // sending at once fails; so wait a moment first.
    //
    printf("Press a key to start sending.");
    getchar();
    printf("\n");
    //
    // Send to the group: the data reaches every leaf
    //
    wsasend.buf = sendbuf;
    wsasend.len = 128;
    for(i=0; i < dwDataCount ;i++)
    {
        memset(sendbuf, 'a' + (i%26), 128);
        ret = WSASend(s, new WSABUF[] {wsasend}, 1, dwBytesSent, 0, null, // PORT: &wsasend is a one-element array; &dwBytesSent the out array
            null); // PORT: NULL is null
        if (ret == SOCKET_ERROR)
        {
            printf("WSASend() failed: %d\n", WSAGetLastError());
            break;
        }
        printf("[%02d] Wrote: %d bytes\n", i, dwBytesSent[0]); // PORT: out parameter
        Sleep(500);
    }

    for(i=0; i < dwAddrCount ;i++)
        closesocket(sLeafSock[i]);
    return;
}

//
// Function: Client
//
// Description:
//    Binds to the local interface (from -i, or the first local ATM address), waits in an accept for the root's
//    invitation, then receives the data.
//
void Client(SOCKET s, WSAPROTOCOL_INFO lpSocketProtocol) // PORT: WSAPROTOCOL_INFO * is a reference
{
    SOCKET       sl;
    SOCKADDR_ATM atm_leaf;
    SOCKADDR     atm_root; // PORT: ATM mapped to IP: the root's address comes back as an IP socket address
    int          dwNumInterfaces, // PORT: DWORD is int
                 i; // PORT: DWORD is int
    int[]        dwBytesRead = {0}, // PORT: DWORD out parameter is an int[1]
                 dwFlags = {0}; // PORT: DWORD in/out parameter is an int[1]
    int[]        dwAddrLen={BUFSIZE}; // PORT: DWORD in/out parameter is an int[1]
    WSABUF       wsarecv = new WSABUF(); // PORT: a structure is an object
    byte[]       recvbuf = new byte[BUFSIZE]; // PORT: char [] buffer is byte[]
    StringBuilder szAddr = new StringBuilder(BUFSIZE); // PORT: char [] text buffer is a StringBuilder
    int[]        iLen = {SOCKADDR.SIZEOF_SOCKADDR_STORAGE}; // PORT: ATM mapped to IP: in/out int is an int[1], sized for any IP address
    int          ret;

    // The local interface
    //
    atm_leaf = new SOCKADDR_ATM(); // PORT: memset(&atm_leaf, 0, sizeof(SOCKADDR_ATM)) is a new structure
    if (!bLocalAddress)
    {
        dwNumInterfaces = GetNumATMInterfaces(s);
        GetATMAddress(s, 0, atm_leaf.satm_number); // PORT: &atm_leaf.satm_number is the reference
    }
    else
        AtoH(atm_leaf.satm_number.Addr, 0, szLocalAddress, // PORT: (char *)&Addr[0] is the array and offset 0
            ATM_ADDR_SIZE-1);
    AtoH(atm_leaf.satm_number.Addr, ATM_ADDR_SIZE-1, // PORT: (char *)&Addr[ATM_ADDR_SIZE-1] is the array and that offset
        szPort, 1);
    //
    // The rest of the SOCKADDR_ATM
    //
    atm_leaf.satm_family                 = AF_ATM;
    atm_leaf.satm_number.AddressType     = ATM_NSAP;
    atm_leaf.satm_number.NumofDigits     = ATM_ADDR_SIZE;
    atm_leaf.satm_blli.Layer2Protocol    = SAP_FIELD_ANY;
    atm_leaf.satm_blli.Layer3Protocol    = SAP_FIELD_ABSENT;
    atm_leaf.satm_bhli.HighLayerInfoType = SAP_FIELD_ABSENT;
    //
    // Say what we bind to, then bind
    //
    if (WSAAddressToString(AtmToIp(atm_leaf), // PORT: ATM mapped to IP: the IP address is printed
        AtmToIp(atm_leaf).size(), lpSocketProtocol, szAddr, // PORT: ATM mapped to IP: sizeof(atm_leaf) is the IP address's size
        dwAddrLen) != 0) // PORT: &dwAddrLen is the array; an int is not a boolean
    {
        printf("WSAAddressToString failed: %d\n",
            WSAGetLastError());
    }
    printf("Binding to: <%s>\n", szAddr);

    if (bind(s, AtmToIp(atm_leaf), AtmToIp(atm_leaf).size()) // PORT: ATM mapped to IP
            == SOCKET_ERROR)
    {
        printf("bind() failed: %d\n", WSAGetLastError());
        return;
    }
    listen(s, 1);
    //
    // Wait for the root's invitation
    //
    atm_root = new SOCKADDR(); // PORT: memset(&atm_root, 0, sizeof(SOCKADDR_ATM)) is a new structure
    if ((sl = WSAAccept(s, atm_root, iLen, null, // PORT: (SOCKADDR *)& dropped; &iLen is the array; NULL is null
        0)) == SOCKET.INVALID_SOCKET) // PORT: INVALID_SOCKET is SOCKET.INVALID_SOCKET
    {
        printf("WSAAccept() failed: %d\n", WSAGetLastError());
        return;
    }
    printf("Received a connection!\n");

    // Receive the data
    //
    wsarecv.buf = recvbuf;
    for(i=0; i < dwDataCount ;i++)
    {
        dwFlags[0] = 0; // PORT: in/out parameter
        wsarecv.len = BUFSIZE;
        ret = WSARecv(sl, new WSABUF[] {wsarecv}, 1, dwBytesRead, dwFlags, // PORT: &wsarecv is a one-element array; &dwBytesRead, &dwFlags the arrays
            null, null); // PORT: NULL is null
        if (ret == SOCKET_ERROR)
        {
            printf("WSARecv() failed: %d\n", WSAGetLastError());
            break;
        }
        if (dwBytesRead[0] == 0) // PORT: out parameter
            break;
        String text = new String(recvbuf, 0, dwBytesRead[0], StandardCharsets.ISO_8859_1); // PORT: recvbuf[dwBytesRead] = 0 (a C string ends in NUL)
        printf("[%02d] READ %d bytes: '%s'\n", i, dwBytesRead[0], // PORT: out parameter
            text); // PORT: the bytes as text
    }
    closesocket(sl);

    return;
}

//
// Function: main
//
// Description:
//    Reads the command line, starts Winsock, creates the socket with the root or the leaf flags and runs the root
//    (Server) or the leaf (Client).
//
@Override // PORT: main is the program's entry point (WinsockProgram.run calls it)
protected int main(int argc, String[] argv) // PORT: char ** is String[]
{
    WSADATA             wsd = new WSADATA(); // PORT: a structure is an object
    SOCKET              s;
    WSAPROTOCOL_INFO    lpSocketProtocol = new WSAPROTOCOL_INFO(); // PORT: a structure is an object
    int                 dwFlags; // PORT: DWORD is int

    ValidateArgs(argc, argv);
    //
    // Start Winsock
    //
    if (WSAStartup(MAKEWORD(2, 2), wsd) != 0) // PORT: &wsd is the object
    {
        printf("WSAStartup failed\n");
        return -1;
    }
    // Find a protocol that can do ATM
    //
    if (FindProtocol(lpSocketProtocol) == FALSE) // PORT: &lpSocketProtocol is the object
    {
        printf("Unable to find ATM protocol entry!\n");
        return -1;
    }
    // Create the socket with the root or the leaf flags
    //
    if (bServer)
        dwFlags = WSA_FLAG_OVERLAPPED | WSA_FLAG_MULTIPOINT_C_ROOT |
                  WSA_FLAG_MULTIPOINT_D_ROOT;
    else
        dwFlags = WSA_FLAG_OVERLAPPED | WSA_FLAG_MULTIPOINT_C_LEAF |
                  WSA_FLAG_MULTIPOINT_D_LEAF;

    if ((s = WSASocket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO,
            FROM_PROTOCOL_INFO, lpSocketProtocol, 0, // PORT: &lpSocketProtocol is the object
            dwFlags)) == SOCKET.INVALID_SOCKET) // PORT: INVALID_SOCKET is SOCKET.INVALID_SOCKET
    {
        printf("socket failed with: %d\n", WSAGetLastError());
        WSACleanup();
        return -1;
    }
    // Run the root or the leaf, as the command line said
    //
    if (bServer)
    {
        Server(s, lpSocketProtocol); // PORT: &lpSocketProtocol is the object
    }
    else
    {
        Client(s, lpSocketProtocol); // PORT: &lpSocketProtocol is the object
    }
    closesocket(s);

    WSACleanup();
    return 0;
}
}
