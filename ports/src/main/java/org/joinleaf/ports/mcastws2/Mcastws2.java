package org.joinleaf.ports.mcastws2;

import static org.joinleaf.api.Winsock2.AF_INET;
import static org.joinleaf.api.Winsock2.AF_INET6;
import static org.joinleaf.api.Winsock2.AF_UNSPEC;
import static org.joinleaf.api.Winsock2.IPPROTO_IP;
import static org.joinleaf.api.Winsock2.IPPROTO_IPV6;
import static org.joinleaf.api.Winsock2.IPPROTO_UDP;
import static org.joinleaf.api.Winsock2.IPV6_MULTICAST_HOPS;
import static org.joinleaf.api.Winsock2.IPV6_MULTICAST_IF;
import static org.joinleaf.api.Winsock2.IPV6_MULTICAST_LOOP;
import static org.joinleaf.api.Winsock2.IP_MULTICAST_IF;
import static org.joinleaf.api.Winsock2.IP_MULTICAST_LOOP;
import static org.joinleaf.api.Winsock2.IP_MULTICAST_TTL;
import static org.joinleaf.api.Winsock2.JL_RECEIVER_ONLY;
import static org.joinleaf.api.Winsock2.JL_SENDER_ONLY;
import static org.joinleaf.api.Winsock2.MAKEWORD;
import static org.joinleaf.api.Winsock2.NO_ERROR;
import static org.joinleaf.api.Winsock2.SOCKET_ERROR;
import static org.joinleaf.api.Winsock2.SOCK_DGRAM;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_C_LEAF;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_D_LEAF;
import static org.joinleaf.api.Winsock2.WSA_FLAG_OVERLAPPED;

import java.io.InputStream;
import java.io.PrintStream;
import org.joinleaf.api.ADDRINFO;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSADATA;
import org.joinleaf.api.Winsock;

//
// Sample: IPv4/v6 multicasting with WSAJoinLeaf, ported to joinleaf.
//
// Original: "Network Programming for Microsoft Windows", second edition, by Anthony Jones and Jim Ohlund (Microsoft
// Press, 2002), sample chapter09/ip-WSAJoinLeaf/mcastws2.cpp (with resolve.cpp, see Resolve.java) as kept in the
// public repository github.com/c3827286/NetworkProgrammingForMicrosoftWindows2e (commit 990f893c). This file is
// joinleaf's own code: it follows the original's structure, function and variable names, control flow and output
// line by line; comments say what the original's comments say, in our words. Every line that had to change ends in
// "// PORT: <why>"; ports/README.md tables the kinds of change. The original is not part of this repository.
//
// What it does: one socket, C_LEAF|D_LEAF, bound to a local address, joined to a multicast group with WSAJoinLeaf
// (sender: JL_SENDER_ONLY, receiver: JL_RECEIVER_ONLY); a sender then sends gCount buffers, a receiver receives
// gCount. IPv4 and IPv6. WSAJoinLeaf allows one group per socket.
//
// Command line (argv[0] is the program name):
//    mcastws2 [-s] [-m str] [-p int] [-i str] [-l 0/1] [-n int] [-t int] [-z int]
//       -i addr Local address to bind to
//       -l 0/1  Disable/enable loopback
//       -m addr Multicast address to join
//       -n int  Send/recv count
//       -p int  Port number
//       -s      Act as sender; default is receiver
//       -t int  Set multicast TTL
//       -z int  Buffer size (in bytes)
//
public final class Mcastws2 extends Resolve { // PORT: a C program is a class; its globals are fields

static final String MCASTADDRV4   = "234.5.6.7"; // PORT: #define is a constant
static final String MCASTADDRV6   = "ff12::1"; // PORT: #define is a constant
static final String MCASTPORT     = "25000"; // PORT: #define is a constant
static final int    BUFSIZE       = 1024; // PORT: #define is a constant
static final int    DEFAULT_COUNT = 500; // PORT: #define is a constant
static final int    DEFAULT_TTL   = 8; // PORT: #define is a constant

boolean bSender=FALSE,            // Sender or (default) receiver // PORT: BOOL is boolean
        bLoopBack=FALSE,          // Whether to set loopback at all // PORT: BOOL is boolean
        bDontJoin=FALSE;          // Connect instead of joining (never set: the original has no -j here) // PORT: BOOL is boolean
int   gSocketType=SOCK_DGRAM,   // datagram
      gProtocol=IPPROTO_UDP,    // UDP
      gCount=DEFAULT_COUNT,     // Messages to send or receive
      gBufferSize=BUFSIZE,      // Bytes per send or receive
      gLoopBack=0,              // Loopback value to set
      gTtl=DEFAULT_TTL;         // Multicast TTL
String gInterface=null,         // Local address to bind to // PORT: char * is String; NULL is null
       gMulticast=MCASTADDRV4,  // Group to join // PORT: char * is String
       gPort=MCASTPORT;         // Port // PORT: char * is String

    /** A program instance on {@code ws}, printing to {@code stdout}/{@code stderr}. */ // PORT: no globals: the Winsock service and stdio are handed in
    public Mcastws2(Winsock ws, PrintStream stdout, PrintStream stderr, InputStream stdin) { // PORT: as above
        super(ws, stdout, stderr, stdin); // PORT: as above
    } // PORT: as above

//
// Function: usage
//
// Description:
//    Prints how to call the program.
//
void usage(String progname) // PORT: char * is String
{
    fprintf(stderr, "usage: %s [-s] [-i local-addr] [-m remote-addr] [-p port-num] [-n count]\n", progname);
    fprintf(stderr,
                    "  -i addr Local address to bind to\n" +
                    "  -l 0/1  Disable/enable loopback\n" +
                    "  -m addr Multicast address to join\n" +
                    "  -n int  Send/recv count\n" +
                    "  -p int  Port number\n" +
                    "  -s      Act as sender; default is receiver\n" +
                    "  -t int  Set multicast TTL\n" +
                    "  -z int  Buffer size (in bytes)\n" // PORT: adjacent literals are joined with + (this and the 7 lines above)
                    );
    ExitProcess(-1);
}

//
// Function: ValidateArgs
//
// Description:
//    Reads the command line into the globals that steer the program.
//
void ValidateArgs(int argc, String[] argv) // PORT: char ** is String[]
{
    int     i;

    for(i=1; i < argc ;i++)
    {
        if (((argv[i].charAt(0) != '/') && (argv[i].charAt(0) != '-')) || (strlen(argv[i]) < 2)) // PORT: argv[i][0] is charAt(0)
            usage(argv[0]);
        switch(tolower(argv[i].charAt(1))) // PORT: argv[i][1] is charAt(1)
        {
            case 'i':               // local address to bind to
                if (i+1 >= argc)
                    usage(argv[0]);
                gInterface = argv[++i];
                break;
            case 'l':               // loopback on or off
                if (i+1 >= argc)
                    usage(argv[0]);
                bLoopBack = TRUE;
                gLoopBack = atoi(argv[++i]);
                break;
            case 'm':               // group to join
                if (i+1 >= argc)
                    usage(argv[0]);
                gMulticast = argv[++i];
                break;
            case 'p':               // port
                if (i+1 >= argc)
                    usage(argv[0]);
                gPort = argv[++i];
                break;
            case 'n':               // how many sends or receives
                if (i+1 >= argc)
                    usage(argv[0]);
                gCount = atoi(argv[++i]);
                break;
            case 's':               // sender instead of receiver
                bSender = TRUE;
                break;
            case 't':               // multicast TTL
                if (i+1 >= argc)
                    usage(argv[0]);
                gTtl = atoi(argv[++i]);
                break;
            case 'z':               // buffer size
                if (i+1 >= argc)
                    usage(argv[0]);
                gBufferSize = atoi(argv[++i]);
                break;
            default:
                usage(argv[0]);
                break;
        }
    }
}

//
// Function: SetMulticastTtl
//
// Description:
//    Sets the socket's multicast TTL.
//
int SetMulticastTtl(SOCKET s, int af, int ttl)
{
    Object optval=null; // PORT: char * to the value is an Object (here an int[1])
    int   optlevel,
          option,
          optlen,
          rc;

    rc = NO_ERROR;
    if (af == AF_INET)
    {
        // IPv4 option
        optlevel = IPPROTO_IP;
        option   = IP_MULTICAST_TTL;
        optval   = new int[] {ttl}; // PORT: (char *) &ttl is an int[1]
        optlen   = Integer.BYTES; // PORT: sizeof(ttl)
    }
    else if (af == AF_INET6)
    {
        // IPv6 option
        optlevel = IPPROTO_IPV6;
        option   = IPV6_MULTICAST_HOPS;
        optval   = new int[] {ttl}; // PORT: (char *) &ttl is an int[1]
        optlen   = Integer.BYTES; // PORT: sizeof(ttl)
    }
    else
    {
        fprintf(stderr, "Attemtping to set TTL for invalid address family!\n");
        rc = SOCKET_ERROR;
        optlevel = option = optlen = 0; // PORT: Java wants the locals definitely assigned
    }
    if (rc != SOCKET_ERROR)
    {
        // Set the TTL
        rc = setsockopt(
                s,
                optlevel,
                option,
                optval,
                optlen
                );
        if (rc == SOCKET_ERROR)
        {
            fprintf(stderr, "SetMulticastTtl: setsockopt failed: %d\n", WSAGetLastError());
        }
        else
        {
            printf("Set multicast ttl to: %d\n", ttl);
        }
    }
    return rc;
}

//
// Function: SetMulticastLoopBack
//
// Description:
//    Turns multicast loopback on or off. With loopback on, a socket that is a member of the group it sends to gets
//    its own datagrams; as the sender never reads, it makes no difference to this sample's sender.
//
int SetMulticastLoopBack(SOCKET s, int af, int loopval)
{
    Object optval=null; // PORT: char * to the value is an Object (here an int[1])
    int   optlevel,
          option,
          optlen,
          rc;

    rc = NO_ERROR;
    if (af == AF_INET)
    {
        // IPv4 option
        optlevel = IPPROTO_IP;
        option   = IP_MULTICAST_LOOP;
        optval   = new int[] {loopval}; // PORT: (char *) &loopval is an int[1]
        optlen   = Integer.BYTES; // PORT: sizeof(loopval)
    }
    else if (af == AF_INET6)
    {
        // IPv6 option
        optlevel = IPPROTO_IPV6;
        option   = IPV6_MULTICAST_LOOP;
        optval   = new int[] {loopval}; // PORT: (char *) &loopval is an int[1]
        optlen   = Integer.BYTES; // PORT: sizeof(loopval)
    }
    else
    {
        fprintf(stderr, "Attemtping to set multicast loopback for invalid address family!\n");
        rc = SOCKET_ERROR;
        optlevel = option = optlen = 0; // PORT: Java wants the locals definitely assigned
    }
    if (rc != SOCKET_ERROR)
    {
        // Set multipoint loopback
        rc = setsockopt(
                s,
                optlevel,
                option,
                optval,
                optlen
                );
        if (rc == SOCKET_ERROR)
        {
            fprintf(stderr, "SetMulticastLoopBack: setsockopt failed: %d\n", WSAGetLastError());
        }
        else
        {
            printf("Setting multicast loopback to: %d\n", loopval);
        }
    }
    return rc;
}

//
// Function: SetSendInterface
//
// Description:
//    Sets the interface multicast leaves by: an IPv4 address for v4, a scope id for v6.
//
int SetSendInterface(SOCKET s, ADDRINFO iface) // PORT: struct addrinfo * is a reference
{
    Object optval=null; // PORT: char * to the value is an Object (here an int[1])
    int   optlevel,
    option,
    optlen,
    rc;

    rc = NO_ERROR;
    if (iface.ai_family == AF_INET) // PORT: -> is .
    {
        // IPv4 option values
        optlevel = IPPROTO_IP;
        option   = IP_MULTICAST_IF;
        optval   = new int[] {iface.ai_addr.sin_addr()}; // PORT: &((SOCKADDR_IN *)ai_addr)->sin_addr.s_addr is an int[1]
        optlen   = Integer.BYTES; // PORT: sizeof(sin_addr.s_addr)
    }
    else if (iface.ai_family == AF_INET6) // PORT: -> is .
    {
        // IPv6 option values
        optlevel = IPPROTO_IPV6;
        option   = IPV6_MULTICAST_IF;
        optval   = new int[] {iface.ai_addr.scopeId}; // PORT: &((SOCKADDR_IN6 *)ai_addr)->sin6_scope_id is an int[1]
        optlen   = Integer.BYTES; // PORT: sizeof(sin6_scope_id)
    }
    else
    {
        fprintf(stderr, "Attemtping to set sent interface for invalid address family!\n");
        rc = SOCKET_ERROR;
        optlevel = option = optlen = 0; // PORT: Java wants the locals definitely assigned
    }
    // Set the sending interface
    if (rc != SOCKET_ERROR)
    {
        // Set the sending interface
        rc = setsockopt(
                s,
                optlevel,
                option,
                optval,
                optlen
                );
        if (rc == SOCKET_ERROR)
        {
            printf("setsockopt failed: %d\n", WSAGetLastError());
        }
        else
        {
            printf("Set sending interface to: ");
            PrintAddress(iface.ai_addr, iface.ai_addrlen); // PORT: -> is .
            printf("\n");
        }
    }
    return rc;
}


@Override // PORT: main is the program's entry point (WinsockProgram.run calls it)
protected int main(int argc, String[] argv) // PORT: int __cdecl main(int argc, char **argv)
{
    WSADATA             wsd = new WSADATA(); // PORT: a structure is an object
    ADDRINFO            reslocal = null, // PORT: struct addrinfo * is a reference; NULL is null
                        resmulti = null; // PORT: as above
    SOCKET              s,
                        rs;
    byte[]              buf=null; // PORT: char * buffer is byte[]
    int                 rc,
                        i;

    ValidateArgs(argc, argv);

    WSAStartup(MAKEWORD(2,2), wsd); // PORT: &wsd is the object

    //
    // Resolve the local address first
    //
    reslocal = ResolveAddress(gInterface, (bSender ? "0": gPort), AF_UNSPEC, SOCK_DGRAM, IPPROTO_UDP);
    if (reslocal == null) // PORT: NULL is null
    {
        fprintf(stderr, "Unable to resolve local interface: %s\n", gInterface);
        return -1;
    }

    // Create the socket with the multipoint flags
    s = WSASocket(
            reslocal.ai_family, // PORT: -> is .
            reslocal.ai_socktype, // PORT: -> is .
            reslocal.ai_protocol, // PORT: -> is .
            null, // PORT: NULL is null
            0,
            WSA_FLAG_OVERLAPPED | WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF
            );
    if (s == SOCKET.INVALID_SOCKET) // PORT: INVALID_SOCKET is SOCKET.INVALID_SOCKET (one instance, so == holds)
    {
        fprintf(stderr, "socket(af = %d) failed: %d\n", reslocal.ai_family, WSAGetLastError()); // PORT: -> is .
        return -1;
    }

    rc = bind(s, reslocal.ai_addr, reslocal.ai_addrlen); // PORT: -> is .
    if (rc == SOCKET_ERROR)
    {
        fprintf(stderr, "bind failed: %d\n", WSAGetLastError());
        return -1;
    }

    printf("bound to: ");
    PrintAddress(reslocal.ai_addr, reslocal.ai_addrlen); // PORT: -> is .
    printf("\n");

    // Resolve the group address
    resmulti = ResolveAddress(gMulticast, gPort, reslocal.ai_family, reslocal.ai_socktype, reslocal.ai_protocol); // PORT: -> is .
    if (resmulti == null) // PORT: NULL is null
    {
        fprintf(stderr, "Unable to resolve multicast address: %s\n", gMulticast);
        freeaddrinfo(reslocal);
        freeaddrinfo(resmulti);
        return -1;
    }

    // Multicast TTL
    rc = SetMulticastTtl(s, resmulti.ai_family, gTtl); // PORT: -> is .
    if (rc == SOCKET_ERROR)
    {
        freeaddrinfo(reslocal);
        freeaddrinfo(resmulti);
        return -1;
    }

    // Loopback, if asked for
    if (bLoopBack)
    {
        rc = SetMulticastLoopBack(s, resmulti.ai_family, gLoopBack); // PORT: -> is .
        if (rc == SOCKET_ERROR)
        {
            freeaddrinfo(reslocal);
            freeaddrinfo(resmulti);
            return -1;
        }
    }

    // Join, unless told to connect instead
    if (bDontJoin == FALSE)
    {
        rs = WSAJoinLeaf(
                s,
                resmulti.ai_addr, // PORT: -> is .
                resmulti.ai_addrlen, // PORT: -> is .
                null, // PORT: NULL is null
                null, // PORT: NULL is null
                null, // PORT: NULL is null
                null, // PORT: NULL is null
                (bSender ? JL_SENDER_ONLY : JL_RECEIVER_ONLY)
                        );
        if (rs == SOCKET.INVALID_SOCKET) // PORT: INVALID_SOCKET is SOCKET.INVALID_SOCKET
        {
            fprintf(stderr, "WSAJoinLeaf failed: %d\n", WSAGetLastError());
            freeaddrinfo(reslocal);
            freeaddrinfo(resmulti);
            return -1;
        }
    }
    else
    {
        rc = SetSendInterface(s, reslocal);
        if (rc == SOCKET_ERROR)
        {
            fprintf(stderr, "Unable to set outgoing multicast interface\n");
            freeaddrinfo(reslocal);
            freeaddrinfo(resmulti);
            return -1;
        }

        rc = connect(
                s,
                resmulti.ai_addr, // PORT: -> is .
                resmulti.ai_addrlen // PORT: -> is .
                );
        if (rc == SOCKET_ERROR)
        {
            fprintf(stderr, "conect failed: %d\n", WSAGetLastError());
            freeaddrinfo(reslocal);
            freeaddrinfo(resmulti);
            return -1;
        }
    }

    printf("joining group: ");
    PrintAddress(resmulti.ai_addr, resmulti.ai_addrlen); // PORT: -> is .
    printf("\n");

    freeaddrinfo(reslocal);
    freeaddrinfo(resmulti);

    buf = new byte[gBufferSize]; // PORT: HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, n) is new byte[n] (zeroed)
    if (buf == null) // PORT: NULL is null (new never returns null; kept for the shape)
    {
        fprintf(stderr, "HeapAlloc failed: %d\n", 0); // PORT: GetLastError() has no Java counterpart
        return -1;
    }
    memset(buf, '%', gBufferSize);

    if (bSender)
    {
        for(i=0; i < gCount ;i++)
        {
            rc = send(s, buf, gBufferSize, 0);
            if (rc == SOCKET_ERROR)
            {
                fprintf(stderr, "send failed: %d\n", WSAGetLastError());
                buf = null; // PORT: HeapFree(GetProcessHeap(), 0, buf): the garbage collector frees it
                return -1;
            }
            else
            {
                printf("wrote %d bytes\n", rc);
            }
        }
    }
    else
    {
        for(i=0; i < gCount ;i++)
        {
            rc = recv(s, buf, gBufferSize, 0);
            if (rc == SOCKET_ERROR)
            {
                fprintf(stderr, "recv failed: %d\n", rc);
                buf = null; // PORT: HeapFree(GetProcessHeap(), 0, buf): the garbage collector frees it
                return -1;
            }
            else
            {
                printf("read %d bytes\n", rc);
            }
        }
    }

    buf = null; // PORT: HeapFree(GetProcessHeap(), 0, buf): the garbage collector frees it

    closesocket(s);

    WSACleanup();
    return 0;
}
}
