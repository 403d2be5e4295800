package org.joinleaf.multicast;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Datagrams the kernel dropped before the I/O thread read them (the socket's receive buffer full, issue 13), as Linux
 * reports them in the {@code drops} column of {@code /proc/net/udp} and {@code /proc/net/udp6}. Plain Java has no
 * socket inode, so a socket is found by its local address and port: members bound to the same group and port on this
 * host share the count. Where the files do not exist (not Linux) the count is 0.
 */
final class KernelDrops {
    private static final Path UDP = Path.of("/proc/net/udp");
    private static final Path UDP6 = Path.of("/proc/net/udp6");

    private KernelDrops() {
    }

    /** Drops of every socket bound to one of {@code endpoints} (each endpoint counted once). */
    static long of(Collection<InetSocketAddress> endpoints) {
        Set<InetSocketAddress> distinct = Set.copyOf(endpoints);
        long total = 0;
        for (Path table : List.of(UDP, UDP6)) {
            List<String> lines;
            try {
                lines = Files.readAllLines(table);
            } catch (IOException | SecurityException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                total += drops(line, distinct);
            }
        }
        return total;
    }

    /** The drops of one table line when its local address is one of {@code endpoints}, else 0. */
    static long drops(String line, Set<InetSocketAddress> endpoints) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 13) {
            return 0;
        }
        InetSocketAddress local = endpoint(f[1]);
        if (local == null || !endpoints.contains(local)) {
            return 0;
        }
        try {
            return Long.parseLong(f[f.length - 1]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** {@code 0201FFEF:A1B2}: the address as 32-bit words in the kernel's byte order, the port in hex. */
    private static InetSocketAddress endpoint(String field) {
        int colon = field.indexOf(':');
        if (colon < 0 || (colon != 8 && colon != 32)) {
            return null;
        }
        try {
            byte[] bytes = new byte[colon / 2];
            for (int word = 0; word < bytes.length / 4; word++) {
                long v = Long.parseLong(field.substring(word * 8, word * 8 + 8), 16);
                for (int i = 0; i < 4; i++) {
                    int shift = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 8 * i : 8 * (3 - i);
                    bytes[word * 4 + i] = (byte) (v >>> shift);
                }
            }
            InetAddress address = bytes.length == 16 ? Inet6Address.getByAddress(null, bytes, -1)
                    : InetAddress.getByAddress(bytes);
            return new InetSocketAddress(address, Integer.parseInt(field.substring(colon + 1), 16));
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }
}
