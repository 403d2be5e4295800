package org.joinleaf.spi;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Tells datagrams sent from this host from datagrams of other hosts, for loopback off ({@code SIO_MULTIPOINT_LOOPBACK}
 * or {@code IP_MULTICAST_LOOP} FALSE), which Windows applies on the receive path: a member with loopback off drops
 * every multicast datagram whose source address is local, whichever program or language sent it (issue 13). Every
 * provider that receives from the network applies the rule with this class, so that they agree.
 *
 * <p>Local means a loopback address (127.0.0.0/8, ::1) or an address of one of this host's interfaces. The source
 * address alone decides, so nothing depends on which sockets exist or when they bound: a sender that closes right
 * after sending is filtered like any other. The interface addresses are enumerated at construction and again, at
 * most every {@value #REFRESH_SECONDS} s, when a source that is not in the cache arrives (an address added later,
 * DHCP): a remote peer can make the receiving thread enumerate at most that often.
 */
public final class LocalSources {
    private static final long REFRESH_SECONDS = 10;
    private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(REFRESH_SECONDS);

    private final Supplier<Collection<InetAddress>> enumerate;
    private volatile Set<InetAddress> cached;
    private volatile long enumeratedAt;

    /** The host's own addresses, enumerated with {@link #hostAddresses}. */
    public LocalSources() {
        this(LocalSources::hostAddresses);
    }

    /** {@code enumerate} lists the addresses that count as this host's (a test may script them). */
    public LocalSources(Supplier<Collection<InetAddress>> enumerate) {
        this.enumerate = enumerate;
        refresh(System.nanoTime());
    }

    /** True when {@code source} is an address of this host. */
    public boolean isLocal(InetAddress source) {
        if (source.isLoopbackAddress() || cached.contains(source)) {
            return true;
        }
        long now = System.nanoTime();
        if (now - enumeratedAt < REFRESH_NANOS) {
            return false;
        }
        refresh(now);
        return cached.contains(source);
    }

    /** Every address of every interface of this host (the "same host" test of the loopback filter). */
    public static List<InetAddress> hostAddresses() {
        List<InetAddress> all = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                all.addAll(Collections.list(ni.getInetAddresses()));
            }
        } catch (SocketException e) {
            // Without the list, only loopback addresses count as this host's.
        }
        return all;
    }

    private void refresh(long now) {
        cached = Set.copyOf(enumerate.get());
        enumeratedAt = now;
    }
}
