package org.joinleaf.bench.multicast;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Linux's count of UDP datagrams the kernel dropped because a socket's receive buffer ({@code SO_RCVBUF}) was full
 * ({@code RcvbufErrors} in {@code /proc/net/snmp}, one per receiving socket). Its change over a trial splits
 * joinleaf's loss into kernel drops and drops at the provider's receive queue. The counter is per network namespace,
 * so concurrent UDP traffic on the machine can add to it.
 */
final class KernelUdpDrops {
    private static final Path SNMP = Path.of("/proc/net/snmp");

    private KernelUdpDrops() {
    }

    /** The current counter, or -1 where the kernel does not publish it. */
    static long now() {
        try {
            List<String> lines = Files.readAllLines(SNMP);
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).startsWith("Udp: ") && lines.get(i + 1).startsWith("Udp: ")) {
                    int column = Arrays.asList(lines.get(i).split(" ")).indexOf("RcvbufErrors");
                    return column < 0 ? -1 : Long.parseLong(lines.get(i + 1).split(" ")[column]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** The note for the CSV: the drops between {@code before} and now, or "n/a". */
    static String since(long before) {
        long after = now();
        return "kernel_rcvbuf_drops=" + (before < 0 || after < 0 ? "n/a" : Long.toString(after - before));
    }
}
