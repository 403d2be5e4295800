package org.joinleaf.bench.multicast;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.joinleaf.bench.Benchmark;
import org.joinleaf.bench.Measurement;
import org.joinleaf.bench.RunSettings;

/**
 * Issue 4 item 7: datagrams per second from one sender to 1, 10 and 100 receiving sockets on loopback, and the loss
 * under that load, through joinleaf (runtime + multicast provider) and through plain NIO, interleaved in one run.
 * All traffic stays on {@code lo} with TTL 0, on a random administratively scoped group (239.255.0.0/16) and high
 * port per trial, so trials and concurrent test runs do not count each other's datagrams.
 *
 * <p>System properties: {@code bench.multicast.receiveQueueDatagrams} sets the provider's per-socket receive queue
 * (default: the provider's own default, 256); {@code bench.multicast.receiveThreads} the provider's I/O threads
 * (default: the provider's own default); {@code bench.multicast.rate} paces the sender of both variants to that many
 * datagrams per second (default 0: unpaced), to compare loss at the same rate and find the rate without loss.
 */
public final class MulticastBenchmark implements Benchmark {
    private static final int WARMUP_RECEIVERS = 10;
    /** The provider's own default; the property exists to check where joinleaf's loss happens (see README). */
    private static final int RECEIVE_QUEUE = Integer.getInteger("bench.multicast.receiveQueueDatagrams", 256);

    /** The two variants measured side by side. */
    private enum Variant {
        JOINLEAF {
            @Override
            Fanout open(InetSocketAddress group, NetworkInterface lo, int receivers, int messageBytes)
                    throws IOException {
                return JoinleafFanout.open(group, receivers, messageBytes, RECEIVE_QUEUE);
            }
        },
        NIO {
            @Override
            Fanout open(InetSocketAddress group, NetworkInterface lo, int receivers, int messageBytes)
                    throws IOException {
                return NioFanout.open(group, lo, receivers, messageBytes);
            }
        };

        abstract Fanout open(InetSocketAddress group, NetworkInterface lo, int receivers, int messageBytes)
                throws IOException;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Override
    public void run(RunSettings settings, Consumer<Measurement> sink) throws Exception {
        NetworkInterface lo = LoopbackProbe.requireMulticastOnLo(randomGroup());
        int smallest = settings.messageSizes().get(0);
        for (Variant v : Variant.values()) {
            Measurement discarded = trial(v, lo, WARMUP_RECEIVERS, smallest, settings.warmupMessages(), settings);
            System.err.println("warm-up (discarded): " + discarded.toCsv());
        }
        for (int size : settings.messageSizes()) {
            for (int receivers : settings.receivers()) {
                for (Variant v : Variant.values()) {
                    sink.accept(trial(v, lo, receivers, size, settings.messages(), settings));
                }
            }
        }
    }

    private static Measurement trial(Variant v, NetworkInterface lo, int receivers, int size, int messages,
                                     RunSettings settings) throws IOException, InterruptedException {
        try (Fanout fanout = v.open(randomGroup(), lo, receivers, size)) {
            return Trial.run(v.label(), fanout, receivers, size, messages, settings);
        }
    }

    private static InetSocketAddress randomGroup() throws IOException {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        InetAddress group = InetAddress.getByAddress(new byte[] {(byte) 239, (byte) 255,
                (byte) r.nextInt(1, 255), (byte) r.nextInt(1, 255)});
        return new InetSocketAddress(group, r.nextInt(40_000, 60_000));
    }
}
