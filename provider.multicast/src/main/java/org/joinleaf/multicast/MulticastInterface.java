package org.joinleaf.multicast;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.joinleaf.spi.config.ConfigCheck;

/**
 * Picks the one network interface every socket of the provider joins groups on and sends through
 * ({@code IP_MULTICAST_IF}), from the configuration. Failing here fails activation with a message naming the
 * interfaces that exist, so an operator can fix the configuration.
 */
final class MulticastInterface {
    private MulticastInterface() {
    }

    /** The interface named by {@code ipv4Interface} when set, otherwise by {@code interfaceName}. */
    static NetworkInterface resolve(MulticastConfig config, ConfigCheck check) {
        try {
            String byAddress = config.ipv4Interface().trim();
            if (!byAddress.isEmpty()) {
                InetAddress address = parseIpv4(byAddress);
                check.require(address != null, "ipv4Interface", "must be an IPv4 address literal such as 127.0.0.1");
                NetworkInterface ni = NetworkInterface.getByInetAddress(address);
                check.require(ni != null, "ipv4Interface", "no network interface has this address; one of "
                        + names());
                return ni;
            }
            NetworkInterface ni = NetworkInterface.getByName(config.interfaceName().trim());
            check.require(ni != null, "interfaceName", "no network interface of this name; one of " + names());
            return ni;
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list the network interfaces of this host: " + e.getMessage(), e);
        }
    }

    /** A dotted quad, parsed by hand so that nothing is ever looked up by name; null when it is none. */
    private static InetAddress parseIpv4(String literal) {
        String[] parts = literal.split("\\.", -1);
        byte[] bytes = new byte[4];
        boolean ok = parts.length == 4;
        for (int i = 0; ok && i < 4; i++) {
            ok = parts[i].matches("\\d{1,3}") && Integer.parseInt(parts[i]) <= 255;
            bytes[i] = ok ? (byte) Integer.parseInt(parts[i]) : 0;
        }
        if (!ok) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen for 4 bytes
        }
    }

    /**
     * Issue 13, decision: the default {@code lo} is kept, not followed to the host's real interface (which one is
     * "real" is a guess on a host with several), but a provider left on loopback while the host has other
     * multicast-capable interfaces that are up says so once at activation, since it would otherwise fail silently:
     * joins and sends succeed and nothing leaves or arrives.
     */
    static void warnIfLeftOnLoopback(NetworkInterface chosen) {
        try {
            if (!chosen.isLoopback()) {
                return;
            }
            List<String> others = new ArrayList<>();
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isLoopback() && ni.isUp() && ni.supportsMulticast()) {
                    others.add(ni.getName());
                }
            }
            String warning = loopbackWarning(chosen.getName(), others);
            if (warning != null) {
                System.getLogger(MulticastInterface.class.getName()).log(System.Logger.Level.WARNING, warning);
            }
        } catch (SocketException e) {
            // Nothing to compare with: no warning.
        }
    }

    /** The warning for a provider on loopback interface {@code chosen}, or null when {@code others} is empty. */
    static String loopbackWarning(String chosen, List<String> others) {
        if (others.isEmpty()) {
            return null;
        }
        return "the multicast provider is on the loopback interface " + chosen + ": groups are joined and datagrams "
                + "sent on this host only, never on " + String.join(", ", others) + "; set interfaceName (or "
                + "ipv4Interface) of " + MulticastConfig.PID + " to the interface other hosts are on";
    }

    /** This host's loopback interface ({@code lo}), or null when it has none. */
    static NetworkInterface loopback() {
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (ni.isLoopback()) {
                    return ni;
                }
            }
        } catch (SocketException e) {
            // No list: scope 0 cannot be confined; see LeafSocket.applyScope.
        }
        return null;
    }

    private static List<String> names() throws SocketException {
        List<String> names = new ArrayList<>();
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            names.add(ni.getName());
        }
        return names;
    }
}
