package org.joinleaf.ports;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.ADDRINFO;
import org.joinleaf.api.LPCONDITIONPROC;
import org.joinleaf.api.LPWSAOVERLAPPED_COMPLETION_ROUTINE;
import org.joinleaf.api.QOS;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSABUF;
import org.joinleaf.api.WSADATA;
import org.joinleaf.api.WSAOVERLAPPED;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.api.Winsock;

/**
 * What a ported C program gets from {@code #include <winsock2.h>} and the C runtime: the Winsock calls it uses under
 * their own names (one-line delegations to the {@link Winsock} service, so a program's lines stay as they were), and
 * the handful of CRT functions the samples call ({@code printf}, {@code atoi}, {@code Sleep}, ...).
 *
 * <p>A program is an object, not a process: its C globals are instance fields, so a test can run a sender and a
 * receiver side by side, each on its own {@link Winsock} (one Winsock "process" each). {@code ExitProcess} cannot end
 * the JVM; it throws {@link ExitProcess}, which {@link #run} turns into the exit code.
 *
 * <p>Pitfall: only calls the ported programs use are here; a program needing another adds its one-line delegation.
 */
public abstract class WinsockProgram {
    /** C's {@code TRUE} / {@code FALSE}, so {@code bSender=FALSE} reads as it did. */
    protected static final boolean TRUE = true;
    protected static final boolean FALSE = false;

    private final Winsock ws;
    /** C's stdout, stderr and stdin. */
    protected final PrintStream stdout;
    protected final PrintStream stderr;
    protected final InputStream stdin;
    /**
     * The longest {@link #Sleep} really sleeps. The samples pace their sends with {@code Sleep(500)} for a person
     * watching; the tests keep their counts and lower this to keep the build fast. Unlimited by default.
     */
    private volatile long sleepCapMillis = Long.MAX_VALUE;

    protected WinsockProgram(Winsock ws, PrintStream stdout, PrintStream stderr, InputStream stdin) {
        this.ws = ws;
        this.stdout = stdout;
        this.stderr = stderr;
        this.stdin = stdin;
    }

    /** The program's {@code main}; {@code argv[0]} is the program name, as in C. */
    protected abstract int main(int argc, String[] argv);

    /** Runs {@link #main} with {@code argv} (program name first) and returns its exit code. */
    public final int run(String... argv) {
        try {
            return main(argv.length, argv);
        } catch (ExitProcess e) {
            return e.code;
        } finally {
            stdout.flush();
            stderr.flush();
        }
    }

    /** Caps every {@link #Sleep} at {@code millis} (0: no pacing at all). */
    public final void capSleep(long millis) {
        sleepCapMillis = millis;
    }

    /** {@code ExitProcess(uExitCode)}: unwinds to {@link #run}, which returns the code. */
    public static final class ExitProcess extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int code;

        ExitProcess(int code) {
            super("ExitProcess(" + code + ")", null, false, false);
            this.code = code;
        }
    }

    // ---- C runtime ----

    protected static void ExitProcess(int uExitCode) {
        throw new ExitProcess(uExitCode);
    }

    protected final void printf(String format, Object... args) {
        stdout.print(String.format(Locale.ROOT, format, args));
    }

    protected static void fprintf(PrintStream stream, String format, Object... args) {
        stream.print(String.format(Locale.ROOT, format, args));
    }

    /** {@code getchar()}: the next byte of stdin, or -1 ({@code EOF}). */
    protected final int getchar() {
        try {
            return stdin.read();
        } catch (IOException e) {
            return -1;
        }
    }

    protected final void Sleep(int dwMilliseconds) {
        long millis = Math.min(dwMilliseconds, sleepCapMillis);
        if (millis <= 0) {
            return;
        }
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code atoi}: leading digits after optional blanks and sign; 0 when there are none. */
    protected static int atoi(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        boolean negative = i < s.length() && s.charAt(i) == '-';
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            i++;
        }
        long value = 0;
        for (; i < s.length() && Character.isDigit(s.charAt(i)) && value <= Integer.MAX_VALUE; i++) {
            value = value * 10 + (s.charAt(i) - '0');
        }
        return (int) (negative ? -value : value);
    }

    protected static char tolower(char c) {
        return Character.toLowerCase(c);
    }

    protected static int strlen(String s) {
        return s.length();
    }

    /** {@code memset(buf, c, n)}. */
    protected static void memset(byte[] buf, int c, int n) {
        Arrays.fill(buf, 0, n, (byte) c);
    }

    // ---- winsock2.h: the calls the ported programs make, delegated under their own names ----

    protected final int WSAStartup(short wVersionRequested, WSADATA lpWSAData) {
        return ws.WSAStartup(wVersionRequested, lpWSAData);
    }

    protected final int WSACleanup() {
        return ws.WSACleanup();
    }

    protected final int WSAGetLastError() {
        return ws.WSAGetLastError();
    }

    protected final int WSAEnumProtocols(int[] lpiProtocols, WSAPROTOCOL_INFO[] lpProtocolBuffer,
                                         int[] lpdwBufferLength) {
        return ws.WSAEnumProtocols(lpiProtocols, lpProtocolBuffer, lpdwBufferLength);
    }

    protected final SOCKET WSASocket(int af, int type, int protocol, WSAPROTOCOL_INFO lpProtocolInfo, int g,
                                     int dwFlags) {
        return ws.WSASocket(af, type, protocol, lpProtocolInfo, g, dwFlags);
    }

    protected final int bind(SOCKET s, SOCKADDR name, int namelen) {
        return ws.bind(s, name, namelen);
    }

    protected final int listen(SOCKET s, int backlog) {
        return ws.listen(s, backlog);
    }

    protected final SOCKET WSAAccept(SOCKET s, SOCKADDR addr, int[] addrlen, LPCONDITIONPROC lpfnCondition,
                                     long dwCallbackData) {
        return ws.WSAAccept(s, addr, addrlen, lpfnCondition, dwCallbackData);
    }

    protected final int WSAConnect(SOCKET s, SOCKADDR name, int namelen, WSABUF lpCallerData, WSABUF lpCalleeData,
                                   QOS lpSQOS, QOS lpGQOS) {
        return ws.WSAConnect(s, name, namelen, lpCallerData, lpCalleeData, lpSQOS, lpGQOS);
    }

    protected final SOCKET WSAJoinLeaf(SOCKET s, SOCKADDR name, int namelen, WSABUF lpCallerData,
                                       WSABUF lpCalleeData, QOS lpSQOS, QOS lpGQOS, int dwFlags) {
        return ws.WSAJoinLeaf(s, name, namelen, lpCallerData, lpCalleeData, lpSQOS, lpGQOS, dwFlags);
    }

    protected final int send(SOCKET s, byte[] buf, int len, int flags) {
        return ws.send(s, buf, len, flags);
    }

    protected final int recv(SOCKET s, byte[] buf, int len, int flags) {
        return ws.recv(s, buf, len, flags);
    }

    protected final int closesocket(SOCKET s) {
        return ws.closesocket(s);
    }

    protected final int setsockopt(SOCKET s, int level, int optname, Object optval, int optlen) {
        return ws.setsockopt(s, level, optname, optval, optlen);
    }

    protected final int connect(SOCKET s, SOCKADDR name, int namelen) {
        return ws.connect(s, name, namelen);
    }

    protected final int WSASend(SOCKET s, WSABUF[] lpBuffers, int dwBufferCount, int[] lpNumberOfBytesSent,
                                int dwFlags, WSAOVERLAPPED lpOverlapped,
                                LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) {
        return ws.WSASend(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, lpOverlapped,
                lpCompletionRoutine);
    }

    protected final int WSARecv(SOCKET s, WSABUF[] lpBuffers, int dwBufferCount, int[] lpNumberOfBytesRecvd,
                                int[] lpFlags, WSAOVERLAPPED lpOverlapped,
                                LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) {
        return ws.WSARecv(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, lpOverlapped,
                lpCompletionRoutine);
    }

    protected final int WSAIoctl(SOCKET s, int dwIoControlCode, Object lpvInBuffer, int cbInBuffer,
                                 Object lpvOutBuffer, int cbOutBuffer, int[] lpcbBytesReturned,
                                 WSAOVERLAPPED lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) {
        return ws.WSAIoctl(s, dwIoControlCode, lpvInBuffer, cbInBuffer, lpvOutBuffer, cbOutBuffer,
                lpcbBytesReturned, lpOverlapped, lpCompletionRoutine);
    }

    // ---- ws2tcpip.h ----

    protected final int getaddrinfo(String pNodeName, String pServiceName, ADDRINFO pHints, ADDRINFO[] ppResult) {
        return ws.getaddrinfo(pNodeName, pServiceName, pHints, ppResult);
    }

    protected final void freeaddrinfo(ADDRINFO pAddrInfo) {
        ws.freeaddrinfo(pAddrInfo);
    }

    protected final int getnameinfo(SOCKADDR pSockaddr, int SockaddrLength, StringBuilder pNodeBuffer,
                                    int NodeBufferSize, StringBuilder pServiceBuffer, int ServiceBufferSize,
                                    int Flags) {
        return ws.getnameinfo(pSockaddr, SockaddrLength, pNodeBuffer, NodeBufferSize, pServiceBuffer,
                ServiceBufferSize, Flags);
    }

    protected final int WSAAddressToString(SOCKADDR lpsaAddress, int dwAddressLength, WSAPROTOCOL_INFO lpProtocolInfo,
                                           StringBuilder lpszAddressString, int[] lpdwAddressStringLength) {
        return ws.WSAAddressToString(lpsaAddress, dwAddressLength, lpProtocolInfo, lpszAddressString,
                lpdwAddressStringLength);
    }
}
