package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.joinleaf.api.ADDRINFO;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.spi.WsaException;

/**
 * {@code getaddrinfo}, {@code getnameinfo} and {@code gethostname} (issue 13). Numeric hosts and services never
 * leave this class; names go to the JDK resolver (the host's configuration: hosts file, DNS). Codes are Winsock's:
 * an unknown name is {@code WSAHOST_NOT_FOUND} ({@code EAI_NONAME}), a name without an address of the asked
 * family {@code WSANO_DATA}, a bad family {@code WSAEAFNOSUPPORT} ({@code EAI_FAMILY}), a bad socket type
 * {@code WSAESOCKTNOSUPPORT}, an unknown service {@code WSATYPE_NOT_FOUND} ({@code EAI_SERVICE}), bad flags
 * {@code WSAEINVAL} ({@code EAI_BADFLAGS}). There is no services database: the well-known names below stand for it.
 */
final class NameService {
    private static final int KNOWN_AI_FLAGS = AI_PASSIVE | AI_CANONNAME | AI_NUMERICHOST | AI_NUMERICSERV | AI_ALL
            | AI_ADDRCONFIG | AI_V4MAPPED;
    private static final int KNOWN_NI_FLAGS = NI_NOFQDN | NI_NUMERICHOST | NI_NAMEREQD | NI_NUMERICSERV | NI_DGRAM;
    /** The services a Windows {@code services} file names that ported samples use. */
    private static final Map<String, Integer> SERVICES = Map.of("echo", 7, "discard", 9, "daytime", 13, "ftp", 21,
            "ssh", 22, "telnet", 23, "smtp", 25, "domain", 53, "http", 80, "https", 443);

    private NameService() {
    }

    static ADDRINFO getaddrinfo(String node, String service, ADDRINFO hints) throws WsaException {
        int flags = hints == null ? 0 : hints.ai_flags;
        int family = hints == null ? AF_UNSPEC : hints.ai_family;
        int socktype = hints == null ? 0 : hints.ai_socktype;
        int protocol = hints == null ? 0 : hints.ai_protocol;
        if ((flags & ~KNOWN_AI_FLAGS) != 0 || ((flags & AI_CANONNAME) != 0 && node == null)) {
            throw new WsaException(EAI_BADFLAGS, "ai_flags 0x" + Integer.toHexString(flags) + " are not valid"
                    + ((flags & AI_CANONNAME) != 0 && node == null ? " (AI_CANONNAME needs pNodeName)" : ""));
        }
        if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6) {
            throw new WsaException(EAI_FAMILY, "ai_family " + family + " is not AF_UNSPEC, AF_INET or AF_INET6");
        }
        if (socktype != 0 && socktype != SOCK_STREAM && socktype != SOCK_DGRAM && socktype != SOCK_RAW) {
            throw new WsaException(EAI_SOCKTYPE, "ai_socktype " + socktype + " is not supported");
        }
        if (node == null && service == null) {
            throw new WsaException(EAI_NONAME, "pNodeName and pServiceName are both NULL; give at least one");
        }
        int port = service == null ? 0 : servicePort(service, (flags & AI_NUMERICSERV) != 0);
        List<InetAddress> addresses = resolve(node, family, flags);
        ADDRINFO first = null;
        ADDRINFO last = null;
        for (InetAddress a : addresses) {
            ADDRINFO ai = new ADDRINFO();
            ai.ai_family = a instanceof Inet6Address ? AF_INET6 : AF_INET;
            ai.ai_socktype = socktype;
            ai.ai_protocol = protocol != 0 ? protocol : socktype == SOCK_STREAM ? IPPROTO_TCP
                    : socktype == SOCK_DGRAM ? IPPROTO_UDP : 0;
            ai.ai_addr = SOCKADDR.of(a, port);
            ai.ai_addrlen = ai.ai_addr.size();
            if (first == null) {
                first = ai;
                if ((flags & AI_CANONNAME) != 0) {
                    ai.ai_canonname = isNumeric(node) ? node : a.getCanonicalHostName();
                }
            } else {
                last.ai_next = ai;
            }
            last = ai;
        }
        return first;
    }

    private static int servicePort(String service, boolean numericOnly) throws WsaException {
        if (!service.isEmpty() && service.length() <= 5 && service.chars().allMatch(Character::isDigit)) {
            int p = Integer.parseInt(service);
            if (p <= 0xFFFF) {
                return p;
            }
        }
        Integer known = numericOnly ? null : SERVICES.get(service.toLowerCase());
        if (known == null) {
            throw new WsaException(EAI_SERVICE, "service '" + service + "' is not a port number"
                    + (numericOnly ? " (AI_NUMERICSERV)" : " nor a known service name"));
        }
        return known;
    }

    private static boolean isNumeric(String node) {
        return AddressText.parse(AF_INET, node) != null || AddressText.parse(AF_INET6, stripScope(node)) != null;
    }

    private static String stripScope(String node) {
        int percent = node.indexOf('%');
        return percent < 0 ? node : node.substring(0, percent);
    }

    private static List<InetAddress> resolve(String node, int family, int flags) throws WsaException {
        List<InetAddress> out = new ArrayList<>();
        try {
            if (node == null) { // the wildcard (AI_PASSIVE) or loopback address, IPv6 first as Windows lists them
                boolean passive = (flags & AI_PASSIVE) != 0;
                if (family != AF_INET) {
                    out.add(InetAddress.getByAddress(passive ? new byte[16] : loopback6()));
                }
                if (family != AF_INET6) {
                    out.add(InetAddress.getByAddress(passive ? new byte[4] : new byte[] {127, 0, 0, 1}));
                }
                return out;
            }
            byte[] v4 = AddressText.parse(AF_INET, node);
            byte[] v6 = v4 == null ? AddressText.parse(AF_INET6, stripScope(node)) : null;
            if (v4 != null || v6 != null) {
                if ((v4 != null && family == AF_INET6) || (v6 != null && family == AF_INET)) {
                    throw new WsaException(EAI_NONAME, "'" + node + "' is a numeric address of another family than"
                            + " ai_family " + family);
                }
                out.add(v4 != null ? InetAddress.getByAddress(v4) : InetAddress.getByName(node));
                return out;
            }
            if ((flags & AI_NUMERICHOST) != 0) {
                throw new WsaException(EAI_NONAME, "'" + node + "' is not a numeric address (AI_NUMERICHOST)");
            }
            for (InetAddress a : InetAddress.getAllByName(node)) {
                if (family == AF_UNSPEC || (family == AF_INET) == (a instanceof Inet4Address)) {
                    out.add(a);
                }
            }
        } catch (UnknownHostException e) {
            throw new WsaException(WSAHOST_NOT_FOUND, "host '" + node + "' is not known to the resolver");
        }
        if (out.isEmpty()) {
            throw new WsaException(WSANO_DATA, "host '" + node + "' has no " + (family == AF_INET6 ? "IPv6" : "IPv4")
                    + " address");
        }
        return out;
    }

    private static byte[] loopback6() {
        byte[] b = new byte[16];
        b[15] = 1;
        return b;
    }

    static void getnameinfo(SOCKADDR sa, int salen, StringBuilder host, int hostSize, StringBuilder serv,
                            int servSize, int flags) throws WsaException {
        if (sa == null) {
            throw new WsaException(WSAEFAULT, "pSockaddr is required");
        }
        if (!sa.isWellFormed()) {
            throw new WsaException(EAI_FAMILY, "pSockaddr is not an IPv4 or IPv6 address (family " + sa.sa_family + ")");
        }
        if (salen < sa.size()) {
            throw new WsaException(WSAEFAULT, "SockaddrLength " + salen + " is below the " + sa.size()
                    + " bytes of the address");
        }
        if ((flags & ~KNOWN_NI_FLAGS) != 0) {
            throw new WsaException(EAI_BADFLAGS, "flags 0x" + Integer.toHexString(flags) + " are not NI_* flags");
        }
        if (host == null && serv == null) {
            throw new WsaException(EAI_NONAME, "pNodeBuffer and pServiceBuffer are both NULL");
        }
        if (host != null) {
            AddressText.copyOut(hostText(sa, flags), host, hostSize, WSAEFAULT, "pNodeBuffer");
        }
        if (serv != null) {
            AddressText.copyOut(serviceText(sa.port, flags), serv, servSize, WSAEFAULT, "pServiceBuffer");
        }
    }

    private static String hostText(SOCKADDR sa, int flags) throws WsaException {
        String numeric = AddressText.format(sa.addr) + (sa.sa_family == AF_INET6 && sa.scopeId != 0
                ? "%" + sa.scopeId : "");
        if ((flags & NI_NUMERICHOST) != 0) {
            return numeric;
        }
        String name = sa.toInetSocketAddress().getAddress().getCanonicalHostName();
        boolean found = !name.equals(sa.toInetSocketAddress().getAddress().getHostAddress());
        if (!found) {
            if ((flags & NI_NAMEREQD) != 0) {
                throw new WsaException(EAI_NONAME, "no name is known for " + numeric + " (NI_NAMEREQD)");
            }
            return numeric;
        }
        int dot = name.indexOf('.');
        return (flags & NI_NOFQDN) != 0 && dot > 0 ? name.substring(0, dot) : name;
    }

    private static String serviceText(int port, int flags) {
        if ((flags & NI_NUMERICSERV) == 0) {
            for (Map.Entry<String, Integer> e : SERVICES.entrySet()) {
                if (e.getValue() == port) {
                    return e.getKey();
                }
            }
        }
        return Integer.toString(port);
    }

    /** {@code gethostname}: the kernel's host name, else the JDK's. */
    static String hostName() throws WsaException {
        try {
            Path kernel = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(kernel)) {
                List<String> lines = Files.readAllLines(kernel); // not readString: procfs reports size 0
                String name = lines.isEmpty() ? "" : lines.get(0).trim();
                if (!name.isEmpty()) {
                    return name;
                }
            }
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            throw new WsaException(WSAENETDOWN, "the host name cannot be read: " + e.getMessage());
        }
    }
}
