package org.joinleaf.ports.mcastatm;

import static org.joinleaf.api.Winsock2.AF_INET;
import static org.joinleaf.api.Winsock2.SOCKET_ERROR;
import static org.joinleaf.api.Winsock2.WSAENOBUFS;
import static org.joinleaf.api.Winsock2.XP1_MULTIPOINT_CONTROL_PLANE;
import static org.joinleaf.api.Winsock2.XP1_MULTIPOINT_DATA_PLANE;
import static org.joinleaf.api.Winsock2.XP1_SUPPORT_MULTIPOINT;

import java.io.InputStream;
import java.io.PrintStream;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.api.Winsock;
import org.joinleaf.ports.WinsockProgram;

//
// Port of support.cpp and support.h, the helpers that mcastatm links with, from "Network Programming for Microsoft
// Windows", second edition (Jones and Ohlund), sample chapter09/atm/support.cpp as kept in the public repository
// github.com/c3827286/NetworkProgrammingForMicrosoftWindows2e (commit 990f893c). joinleaf's own code: structure,
// names and order follow the original line by line; each changed line ends in "// PORT: <why>".
//
// joinleaf has no ATM. The port keeps ATM addresses and maps each to an IP socket address (AtmToIp below, a PORT
// addition): of the 20-byte NSAP address (13-byte prefix, 6-byte end-system identifier, 1-byte selector), the first
// four ESI bytes are the IPv4 address and the last two a base port, to which the selector (-p) is added. Example:
// 47000580FFE1000000F21A0001 7F000002 C350 with selector 01 is 127.0.0.2:50001. The ATM ioctls
// (SIO_GET_NUMBER_OF_ATM_DEVICES, SIO_GET_ATM_ADDRESS) fail here as on a Windows host without ATM, so -i is needed.
//
abstract class Support extends WinsockProgram { // PORT: a separate .cpp linked in is a base class in Java

    // ---- support.h / ws2atm.h: the ATM types and constants the sample uses ---- // PORT: headers are members
    static final int AF_ATM = 22; // PORT: ws2atm.h constant
    static final int ATM_ADDR_SIZE = 20; // PORT: ws2atm.h constant
    static final int ATM_NSAP = 2; // PORT: ws2atm.h constant
    static final int SAP_FIELD_ANY = 0xFFFFFFFF; // PORT: ws2atm.h constant
    static final int SAP_FIELD_ABSENT = 0xFFFFFFFE; // PORT: ws2atm.h constant
    static final int ATMPROTO_AAL5 = 5; // PORT: ws2atm.h constant
    static final int SIO_GET_NUMBER_OF_ATM_DEVICES = 0x50160001; // PORT: ws2atm.h ioctl; joinleaf fails it (no ATM)
    static final int SIO_GET_ATM_ADDRESS = 0xD0160002; // PORT: ws2atm.h ioctl; joinleaf fails it (no ATM)

    /** {@code ATM_ADDRESS}. */ // PORT: struct is a class
    static final class ATM_ADDRESS { // PORT: struct is a class
        int AddressType; // PORT: struct member
        int NumofDigits; // PORT: struct member
        final byte[] Addr = new byte[ATM_ADDR_SIZE]; // PORT: UCHAR Addr[ATM_ADDR_SIZE]
    } // PORT: struct is a class

    /** {@code ATM_BLLI} / {@code ATM_BHLI}: only the fields the sample sets. */ // PORT: struct is a class
    static final class ATM_BLLI { // PORT: struct is a class
        int Layer2Protocol; // PORT: struct member
        int Layer3Protocol; // PORT: struct member
    } // PORT: struct is a class

    static final class ATM_BHLI { // PORT: struct is a class
        int HighLayerInfoType; // PORT: struct member
    } // PORT: struct is a class

    /** {@code SOCKADDR_ATM}. */ // PORT: struct is a class
    static final class SOCKADDR_ATM { // PORT: struct is a class
        int satm_family; // PORT: struct member
        final ATM_ADDRESS satm_number = new ATM_ADDRESS(); // PORT: struct member
        final ATM_BLLI satm_blli = new ATM_BLLI(); // PORT: struct member
        final ATM_BHLI satm_bhli = new ATM_BHLI(); // PORT: struct member
    } // PORT: struct is a class

    Support(Winsock ws, PrintStream stdout, PrintStream stderr, InputStream stdin) { // PORT: no globals: the Winsock service and stdio are handed in
        super(ws, stdout, stderr, stdin); // PORT: as above
    } // PORT: as above

//
// Function: GetNumATMInterfaces
//
// Description:
//    How many ATM interfaces this machine has.
//
int  GetNumATMInterfaces(SOCKET s)
{
    int[]  dwNum = {0}, // PORT: DWORD out parameter is an int[1]
           nbytes={Integer.BYTES}; // PORT: DWORD out parameter is an int[1]; sizeof(DWORD)

    if (WSAIoctl(s, SIO_GET_NUMBER_OF_ATM_DEVICES, null, 0,
        dwNum, Integer.BYTES, nbytes, null, null) == SOCKET_ERROR) // PORT: &dwNum, &nbytes are the arrays; NULL is null
    {
        return -1;
    }
    return dwNum[0]; // PORT: out parameter
}

//
// Function: GetATMAddress
//
// Description:
//    The ATM address of interface number 'device' (0 .. GetNumATMInterfaces() - 1).
//
boolean GetATMAddress(SOCKET s,int device, ATM_ADDRESS atmaddr) // PORT: BOOL is boolean; ATM_ADDRESS * is a reference
{
    int[] bytes = {0}; // PORT: DWORD out parameter is an int[1]

    if (WSAIoctl(s, SIO_GET_ATM_ADDRESS, new int[] {device}, Integer.BYTES,
        atmaddr.Addr, ATM_ADDR_SIZE, bytes, null, // PORT: &device is an int[1]; (LPVOID)atmaddr is its Addr bytes; &bytes the array
        null) == SOCKET_ERROR) // PORT: NULL is null
    {
        return FALSE;
    }
    return TRUE;
}

//
// Function: FindProtocol
//
// Description:
//    Enumerates the installed protocols and copies the first ATM one into lpProto.
//
boolean FindProtocol(WSAPROTOCOL_INFO lpProto) // PORT: BOOL is boolean; WSAPROTOCOL_INFO * is a reference
{
    WSAPROTOCOL_INFO[] lpProtocolBuf=null; // PORT: a pointer to a buffer of structures is an array
    int               dwErr, // PORT: DWORD is int
                      dwRet; // PORT: DWORD is int
    int[]             dwBufLen={0}; // PORT: DWORD in/out parameter is an int[1]
    int               i; // PORT: DWORD is int

    if (WSAEnumProtocols(null, lpProtocolBuf,
        dwBufLen) != SOCKET_ERROR) // PORT: NULL is null; &dwBufLen is the array
    {
        // Cannot happen: the buffer is NULL
        //
        printf("WSAEnumProtocols failed!\n");
        return FALSE;
    }
    else if ((dwErr = WSAGetLastError()) != WSAENOBUFS)
    {
        // Failed for another reason than the buffer size: also unexpected
        //
        printf("WSAEnumProtocols failed: %d\n", dwErr);
        return FALSE;
    }
    // Allocate the size WSAEnumProtocols asked for
    //
    lpProtocolBuf = WSAPROTOCOL_INFO.array(dwBufLen[0]); // PORT: GlobalAlloc(GMEM_FIXED, n) is an array of n / sizeof entries

    if (lpProtocolBuf == null) // PORT: NULL is null (never: the JVM throws instead)
    {
        printf("GlobalAlloc failed: %d\n", 0); // PORT: GetLastError() has no Java counterpart
        return FALSE;
    }
    dwRet = WSAEnumProtocols(null, lpProtocolBuf, dwBufLen); // PORT: NULL is null; &dwBufLen is the array
    if (dwRet == SOCKET_ERROR)
    {
        printf("WSAEnumProtocols failed: %d\n", WSAGetLastError());
        lpProtocolBuf = null; // PORT: GlobalFree: the garbage collector frees it
        return FALSE;
    }
    // Look for the first ATM entry (the original's comment says AF_NETBIOS, a leftover)
    //
    for (i=0; i < dwRet ;i++)
    {
        if ( (lpProtocolBuf[i].iAddressFamily == AF_INET) && // PORT: ATM mapped to IP: AF_ATM is AF_INET
             lpProtocolBuf[i].has(XP1_SUPPORT_MULTIPOINT | XP1_MULTIPOINT_CONTROL_PLANE) && // PORT: ATM mapped to IP: SOCK_RAW is "multipoint, rooted control plane"
             lpProtocolBuf[i].has(XP1_MULTIPOINT_DATA_PLANE) ) // PORT: ATM mapped to IP: ATMPROTO_AAL5 is "rooted data plane"
        {
            lpProto.set(lpProtocolBuf[i]); // PORT: memcpy(lpProto, &lpProtocolBuf[i], sizeof(WSAPROTOCOL_INFO))
            lpProtocolBuf = null; // PORT: GlobalFree: the garbage collector frees it
            return TRUE;
        }
    }
    lpProtocolBuf = null; // PORT: GlobalFree: the garbage collector frees it

    return FALSE;
}

//
// Function: AtoH
//
// Description:
//    Converts an ATM address written in hex digits into its bytes.
//
void AtoH( byte[] szDest, int destOffset, String szSource, int iCount ) // PORT: CHAR * is an array and an offset; the source a String
{
    int src = 0; // PORT: the pointer szSource++ walks is an index
    while (iCount-- > 0) // PORT: an int is not a boolean
    {
        szDest[destOffset++] = (byte) (( BtoH ( charAt(szSource, src++) ) << 4 ) + BtoH ( charAt(szSource, src++) )); // PORT: *p++ on both sides is an index; (byte) narrowing
    }
    return;
}

/** {@code *szSource}: the character at {@code i}, or NUL past the end as in the C string. */ // PORT: addition
private static char charAt(String s, int i) { // PORT: addition: a C string ends in NUL
    return i < s.length() ? s.charAt(i) : '\0'; // PORT: addition
} // PORT: addition

//
// Function: BtoH
//
// Description:
//    The value of one hex digit.
//
int BtoH( char ch ) // PORT: UCHAR is int; CHAR is char
{
    if ( ch >= '0' && ch <= '9' )
    {
        return ( ch - '0' );
    }

    if ( ch >= 'A' && ch <= 'F' )
    {
        return ( ch - 'A' + 0xA );
    }

    if (ch >= 'a' && ch <= 'f' )
    {
        return ( ch - 'a' + 0xA );
    }
    //
    // Anything else is not a hex digit
    //
    return 0xFF; // PORT: (UCHAR) -1
}

// ---- PORT additions: ATM addresses mapped to IP (see the header) ----

/** The IP socket address {@code atm} stands for: ESI bytes 0-3 the IPv4 address, ESI bytes 4-5 plus the selector the port. */ // PORT: addition
static SOCKADDR AtmToIp(SOCKADDR_ATM atm) { // PORT: addition
    byte[] a = atm.satm_number.Addr; // PORT: addition
    int port = ((a[17] & 0xFF) << 8 | (a[18] & 0xFF)) + (a[19] & 0xFF); // PORT: addition
    SOCKADDR ip = SOCKADDR.any(AF_INET, port & 0xFFFF); // PORT: addition
    System.arraycopy(a, 13, ip.addr, 0, 4); // PORT: addition
    return ip; // PORT: addition
} // PORT: addition

}
