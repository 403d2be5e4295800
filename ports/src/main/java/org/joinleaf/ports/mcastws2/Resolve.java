package org.joinleaf.ports.mcastws2;

import static org.joinleaf.api.Winsock2.AF_INET;
import static org.joinleaf.api.Winsock2.AF_INET6;
import static org.joinleaf.api.Winsock2.AI_PASSIVE;
import static org.joinleaf.api.Winsock2.NI_MAXHOST;
import static org.joinleaf.api.Winsock2.NI_MAXSERV;
import static org.joinleaf.api.Winsock2.NI_NUMERICHOST;
import static org.joinleaf.api.Winsock2.NI_NUMERICSERV;
import static org.joinleaf.api.Winsock2.NO_ERROR;
import static org.joinleaf.api.Winsock2.WSAEFAULT;

import java.io.InputStream;
import java.io.PrintStream;
import org.joinleaf.api.ADDRINFO;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock;
import org.joinleaf.ports.WinsockProgram;

//
// Port of resolve.cpp, the name helpers that mcastws2 links with, from "Network Programming for Microsoft Windows",
// second edition (Jones and Ohlund), sample chapter09/ip-WSAJoinLeaf/resolve.cpp as kept in the public repository
// github.com/c3827286/NetworkProgrammingForMicrosoftWindows2e (commit 990f893c). joinleaf's own code: structure,
// names and order follow the original line by line; each line that had to change ends in "// PORT: <why>".
// A C source linked into a program becomes the program's base class, so mcastws2 calls these functions unqualified.
//
abstract class Resolve extends WinsockProgram { // PORT: a separate .cpp linked in is a base class in Java

    Resolve(Winsock ws, PrintStream stdout, PrintStream stderr, InputStream stdin) { // PORT: no globals: the Winsock service and stdio are handed in
        super(ws, stdout, stderr, stdin); // PORT: as above
    } // PORT: as above

//
// Function: PrintAddress
//
// Description:
//    Turns a socket address into text (numeric host and port) and writes it to stdout.
//
int PrintAddress(SOCKADDR sa, int salen) // PORT: SOCKADDR * is a SOCKADDR reference
{
    StringBuilder host = new StringBuilder(NI_MAXHOST), // PORT: char[] out buffers are StringBuilders
                  serv = new StringBuilder(NI_MAXSERV); // PORT: as above
    int     hostlen = NI_MAXHOST,
            servlen = NI_MAXSERV,
            rc;

    rc = getnameinfo(
            sa,
            salen,
            host,
            hostlen,
            serv,
            servlen,
            NI_NUMERICHOST | NI_NUMERICSERV
            );
    if (rc != 0)
    {
        fprintf(stderr, "%s: getnameinfo failed: %d\n", "Resolve.java", rc); // PORT: __FILE__ is not in Java
        return rc;
    }

    // A zero port is left out
    if (!serv.toString().equals("0")) // PORT: strcmp(serv, "0") != 0
    {
        if (sa.sa_family == AF_INET)
            printf("[%s]:%s", host, serv);
        else
            printf("%s:%s", host, serv);
    }
    else
        printf("%s", host);

    return NO_ERROR;
}

//
// Function: FormatAddress
//
// Description:
//    As PrintAddress, but the text goes into the caller's buffer instead of the console.
//
int FormatAddress(SOCKADDR sa, int salen, StringBuilder addrbuf, int addrbuflen) // PORT: char * out buffer is a StringBuilder
{
    StringBuilder host = new StringBuilder(NI_MAXHOST), // PORT: char[] out buffers are StringBuilders
                  serv = new StringBuilder(NI_MAXSERV); // PORT: as above
    int     hostlen = NI_MAXHOST,
            servlen = NI_MAXSERV,
            rc;

    rc = getnameinfo(
            sa,
            salen,
            host,
            hostlen,
            serv,
            servlen,
            NI_NUMERICHOST | NI_NUMERICSERV
            );
    if (rc != 0)
    {
        fprintf(stderr, "%s: getnameinfo failed: %d\n", "Resolve.java", rc); // PORT: __FILE__ is not in Java
        return rc;
    }
    if ( (host.length() + serv.length() + 1) > addrbuflen) // PORT: strlen of a StringBuilder; no unsigned cast
        return WSAEFAULT;
    addrbuf.setLength(0); // PORT: sprintf overwrites the buffer
    if (sa.sa_family == AF_INET)
        addrbuf.append(String.format("%s:%s", host, serv)); // PORT: sprintf into a StringBuilder
    else if (sa.sa_family == AF_INET6)
        addrbuf.append(String.format("[%s]:%s", host, serv)); // PORT: sprintf into a StringBuilder
    else
        addrbuf.setLength(0); // PORT: addrbuf[0] = '\0'

    return NO_ERROR;
}

//
// Function: ResolveAddress
//
// Description:
//    Resolves an address (literal or, with a resolver, a host name) and a port into a list of addrinfo results
//    holding SOCKADDRs. A null address means the wildcard (AI_PASSIVE).
//
ADDRINFO ResolveAddress(String addr, String port, int af, int type, int proto) // PORT: char * is String; struct addrinfo * is a reference
{
    ADDRINFO hints = new ADDRINFO(); // PORT: a structure is an object; memset(&hints, 0, ...) is the constructor
    ADDRINFO[] res = {null}; // PORT: out parameter (struct addrinfo **) is a one-element array
    int             rc;

    hints.ai_flags  = ((addr != null) ? 0 : AI_PASSIVE); // PORT: a pointer is not a boolean
    hints.ai_family = af;
    hints.ai_socktype = type;
    hints.ai_protocol = proto;

    rc = getaddrinfo(
            addr,
            port,
            hints,
            res // PORT: &res is the one-element array
            );
    if (rc != 0)
    {
        printf("Invalid address %s, getaddrinfo failed: %d\n", addr, rc);
        return null; // PORT: NULL is null
    }
    return res[0]; // PORT: out parameter
}
}
