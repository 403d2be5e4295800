package org.joinleaf.ports;

import java.io.IOException;
import org.joinleaf.spi.testkit.PythonPeer;


/**
 * The other side of the interoperability tests: the {@code python3 -c} scripts (a multicast program nobody here
 * wrote), run by the test kit's {@link PythonPeer}.
 */
final class Python {
    /** Joins group argv[1] port argv[2] on 127.0.0.1, says "ready", counts datagrams until argv[3] or 3 s of quiet. */
    static final String RECEIVER = String.join("\n",
            "import socket, sys",
            "g, p, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])",
            "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
            "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
            "s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)",
            "s.bind(('', p))",
            "s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,"
                    + " socket.inet_aton(g) + socket.inet_aton('127.0.0.1'))",
            "s.settimeout(3)",
            "print('ready', flush=True)",
            "count, size = 0, 0",
            "try:",
            "    while count < n:",
            "        data, addr = s.recvfrom(65535)",
            "        count, size = count + 1, len(data)",
            "except socket.timeout:",
            "    pass",
            "print('count', count, 'size', size, flush=True)");

    /**
     * Sends argv[3] datagrams of argv[4] bytes to group argv[1] port argv[2] via 127.0.0.1, TTL 0, 2 ms apart: an
     * unpaced burst from a fast sender can overflow the receiver's kernel buffer (issue 13: kernel drops), which is
     * not what these tests are about.
     */
    static final String SENDER = String.join("\n",
            "import socket, sys, time",
            "g, p, n, z = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])",
            "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
            "s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton('127.0.0.1'))",
            "s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 0)",
            "s.bind(('127.0.0.1', 0))",
            "for i in range(n):",
            "    s.sendto(b'%' * z, (g, p))",
            "    time.sleep(0.002)",
            "print('sent', n, flush=True)");

    private Python() {
    }

    /** Skips the test, saying why, when {@code python3} cannot be run. */
    static void assume() {
        PythonPeer.assumePython();
    }

    static PythonPeer start(String script, Object... args) throws IOException {
        return PythonPeer.start(script, args);
    }
}
