package org.joinleaf.multicast;

import static org.joinleaf.api.Winsock2.AF_INET6;
import static org.joinleaf.api.Winsock2.JL_BOTH;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_C_LEAF;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_D_LEAF;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.spi.config.ConfigValues;
import org.joinleaf.spi.ConnectRequest;
import org.joinleaf.spi.testkit.RecordingCompletion;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.junit.Assume;

/**
 * Test fixtures that keep every datagram on this host: the provider is pinned to the loopback interface with scope
 * (TTL) 0, groups are administratively scoped (239.255.0.0/16, ff15::/16) on random high ports. Tests that need
 * multicast on loopback skip themselves (Assume) where the kernel does not deliver it.
 */
final class Loopback {
    static final long WAIT_MILLIS = 5000;
    private static Boolean ipv4Works;
    private static Boolean ipv6Works;

    private Loopback() {
    }

    /** An active provider on {@code lo}, scope 0, with {@code overrides} on top. */
    static MulticastProvider provider(Map<String, ?> overrides) throws IOException {
        return provider(overrides, Runtime.getRuntime().maxMemory());
    }

    /** The same, with limits derived as in a JVM whose heap is {@code maxHeapBytes} (the gateway's -Xmx32m). */
    static MulticastProvider provider(Map<String, ?> overrides, long maxHeapBytes) throws IOException {
        MulticastProvider provider = new MulticastProvider();
        provider.activate(config(overrides), maxHeapBytes);
        return provider;
    }

    /** The loopback, scope 0 configuration with {@code overrides} on top. */
    static MulticastConfig config(Map<String, ?> overrides) {
        Map<String, Object> values = new HashMap<>();
        values.put("interfaceName", "lo");
        values.put("defaultScope", 0);
        values.putAll(overrides);
        return ConfigValues.of(MulticastConfig.class, values);
    }

    static MulticastProvider provider() throws IOException {
        return provider(Map.of());
    }

    /** A new C_LEAF|D_LEAF socket of {@code family} on {@code provider}. */
    static LeafSocket socket(MulticastProvider provider, int family, RecordingUpcalls upcalls) throws Exception {
        WSAPROTOCOL_INFO entry = provider.protocols().get(family == AF_INET6 ? 1 : 0);
        return (LeafSocket) provider.socket(entry, WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF, upcalls);
    }

    /** A random admin-scoped IPv4 group on a random high port. */
    static SOCKADDR group4() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return SOCKADDR.of("239.255." + r.nextInt(1, 255) + "." + r.nextInt(1, 255), r.nextInt(40000, 60000));
    }

    /** A random site-local-scoped IPv6 group on a random high port. */
    static SOCKADDR group6() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return SOCKADDR.of("ff15::4a4c:" + Integer.toHexString(r.nextInt(1, 0xffff)), r.nextInt(40000, 60000));
    }

    /** Joins {@code socket} to {@code group} in {@code direction} and checks the join finished. */
    static void join(LeafSocket socket, SOCKADDR group, int direction) throws Exception {
        RecordingCompletion completion = new RecordingCompletion();
        socket.join(new ConnectRequest(group, null, 0, null, direction, null), completion);
        assertTrue("join of " + group + " did not complete: " + completion.message(), completion.connected());
    }

    static void join(LeafSocket socket, SOCKADDR group) throws Exception {
        join(socket, group, JL_BOTH);
    }

    /** Waits (bounded) for a condition the loop thread makes true, such as a counter reaching a value. */
    static boolean eventually(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return true;
    }

    /** Skips the test unless IPv4 multicast to 239.255.x.y is delivered over {@code lo} with TTL 0. */
    static synchronized void assumeIpv4() {
        if (ipv4Works == null) {
            ipv4Works = probe(StandardProtocolFamily.INET, "239.255.77.77");
        }
        Assume.assumeTrue("IPv4 multicast over the loopback interface does not work on this machine (lo flags: "
                + loFlags() + "); multicast tests skipped", ipv4Works);
    }

    /** Skips the test unless IPv6 multicast to ff15::… is delivered over {@code lo} (often not: no route). */
    static synchronized void assumeIpv6() {
        if (ipv6Works == null) {
            ipv6Works = probe(StandardProtocolFamily.INET6, "ff15::4a4c:7777");
        }
        Assume.assumeTrue("IPv6 multicast over the loopback interface does not work on this machine (lo flags: "
                + loFlags() + "; Linux needs MULTICAST on lo and a ff00::/8 route); IPv6 multicast tests skipped",
                ipv6Works);
    }

    /** Sends one datagram to a group over lo with TTL 0 and waits (bounded) for it with a plain channel. */
    private static boolean probe(ProtocolFamily family, String groupLiteral) {
        boolean v6 = family == StandardProtocolFamily.INET6;
        try (DatagramChannel rx = DatagramChannel.open(family); DatagramChannel tx = DatagramChannel.open(family);
             Selector selector = Selector.open()) {
            NetworkInterface lo = NetworkInterface.getByName("lo");
            if (lo == null) {
                return false;
            }
            InetAddress any = InetAddress.getByAddress(new byte[v6 ? 16 : 4]);
            rx.setOption(StandardSocketOptions.SO_REUSEADDR, true).bind(new InetSocketAddress(any, 0));
            InetAddress group = InetAddress.getByName(groupLiteral);
            MembershipKey key = rx.join(group, lo);
            rx.configureBlocking(false).register(selector, SelectionKey.OP_READ);
            tx.setOption(StandardSocketOptions.IP_MULTICAST_IF, lo).setOption(StandardSocketOptions.IP_MULTICAST_TTL, 0);
            tx.send(ByteBuffer.wrap(new byte[] {1}), new InetSocketAddress(group, ((InetSocketAddress) rx.getLocalAddress()).getPort()));
            boolean ok = selector.select(2000) > 0 && rx.receive(ByteBuffer.allocate(8)) != null;
            key.drop();
            return ok;
        } catch (IOException e) {
            return false;
        }
    }

    private static String loFlags() {
        try {
            NetworkInterface lo = NetworkInterface.getByName("lo");
            return lo == null ? "no lo" : "up=" + lo.isUp() + " multicast=" + lo.supportsMulticast();
        } catch (IOException e) {
            return e.toString();
        }
    }
}
