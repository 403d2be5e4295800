package org.joinleaf.local;

import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;

/** Address classes of the virtual network: only loopback is local; multicast groups need no owner. */
final class Addresses {
    private Addresses() {
    }

    /** 127.0.0.0/8 or ::1. */
    static boolean isLoopback(SOCKADDR a) {
        if (a.sa_family == Winsock2.AF_INET && a.addr.length == 4) {
            return a.addr[0] == 127;
        }
        if (a.sa_family == Winsock2.AF_INET6 && a.addr.length == 16) {
            for (int i = 0; i < 15; i++) {
                if (a.addr[i] != 0) {
                    return false;
                }
            }
            return a.addr[15] == 1;
        }
        return false;
    }

    /** 224.0.0.0/4 or ff00::/8. */
    static boolean isMulticast(SOCKADDR a) {
        if (a.sa_family == Winsock2.AF_INET && a.addr.length == 4) {
            return (a.addr[0] & 0xF0) == 0xE0;
        }
        return a.sa_family == Winsock2.AF_INET6 && a.addr.length == 16 && (a.addr[0] & 0xFF) == 0xFF;
    }

    /** 127.0.0.1 or ::1 with {@code port}. */
    static SOCKADDR loopback(int family, int port) {
        SOCKADDR a = SOCKADDR.any(family, port);
        a.addr[a.addr.length - 1] = 1;
        if (family == Winsock2.AF_INET) {
            a.addr[0] = 127;
        }
        return a;
    }

    /** A copy without the IPv6 scope id, so equal endpoints compare equal as map keys. */
    static SOCKADDR key(SOCKADDR a) {
        SOCKADDR k = new SOCKADDR().set(a);
        k.scopeId = 0;
        return k;
    }
}
