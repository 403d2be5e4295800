package org.joinleaf.gateway.hostile;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.joinleaf.api.Winsock2;

/**
 * The attacks of issue 11, each bounded in connections and ended by {@link Attack#stop()}. Every attacker speaks
 * from its own 127.b.0.0/16 (b = the case's number), never from the legitimate peers' 127.0.0.0/24.
 */
final class Attacks {
    /** Bytes of one flood write: about 64 KiB of frames. */
    private static final int FLOOD_FRAMES = 13_107;
    private static final int TIMEOUT_MILLIS = 5000;

    private Attacks() {
    }

    /** No attack: the legitimate traffic alone, so a failure here is the harness's or the gateway's own. */
    static Attack none() {
        return new Attack("control: no attack") {
            @Override
            void start(Target t) {
                // nothing: the root, the leaves and the join prober run as in every case
            }
        };
    }

    /** How a PING flooder opens its connection before flooding. */
    enum Opening { NOTHING, JOIN_UNACCEPTED, JOIN_SENDER_ONLY }

    /**
     * One connection flooding PING frames and reading nothing (each PING asks for a PONG the gateway must hold):
     * before JOIN, after a JOIN the root never accepts, or as an accepted JL_SENDER_ONLY member.
     */
    static Attack pingFlood(String name, Opening opening) {
        return new Attack(name) {
            @Override
            void start(Target t) {
                byte[] pings = Wire.pings(FLOOD_FRAMES);
                loop("flood", () -> {
                    RawPeer p = track(switch (opening) {
                        case NOTHING -> RawPeer.connect("127.1.0.1", t.port(), TIMEOUT_MILLIS);
                        case JOIN_UNACCEPTED -> RawPeer.connect("127.1.0.2", t.lobbyPort(), TIMEOUT_MILLIS);
                        case JOIN_SENDER_ONLY -> RawPeer.join("127.1.0.3", t.port(), Winsock2.JL_SENDER_ONLY, TIMEOUT_MILLIS);
                    });
                    count("connections");
                    try {
                        if (opening == Opening.JOIN_UNACCEPTED) {
                            p.write(Wire.join(Winsock2.JL_BOTH));
                        }
                        while (running()) {
                            p.write(pings);
                            count("64 KiB of PINGs written");
                        }
                    } finally {
                        forget(p);
                    }
                });
            }
        };
    }

    /**
     * Connections held open from a few addresses, each having sent {@code opening} (nothing: a slow handshake; all
     * but the last byte of a frame: a partial frame). One thread per address keeps its share open and replaces every
     * connection the gateway closes.
     */
    static Attack hold(String name, int network, int addresses, int perAddress, byte[] opening) {
        return new Attack(name) {
            @Override
            void start(Target t) {
                for (int a = 1; a <= addresses; a++) {
                    String source = "127." + network + ".0." + a;
                    RawPeer[] held = new RawPeer[perAddress];
                    loop(source, () -> {
                        for (int i = 0; i < held.length && running(); i++) {
                            if (held[i] != null && isOpen(held[i])) {
                                continue;
                            }
                            if (held[i] != null) {
                                forget(held[i]);
                                count("closed by the gateway");
                            }
                            held[i] = null;
                            RawPeer p = track(RawPeer.connect(source, t.port(), TIMEOUT_MILLIS));
                            p.write(opening);
                            held[i] = p;
                            count("connections");
                        }
                        pause(200);
                    });
                }
            }
        };
    }

    /** Still open: a read that times out; EOF, a reset or a REJECT means the gateway is done with it. */
    private static boolean isOpen(RawPeer p) {
        try {
            p.socket.setSoTimeout(1);
            p.in.read();
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * How a connection that sent its last byte stands: "open" (a read times out), "ended by the gateway" (EOF) or
     * "reset by the gateway"; what the gateway sent before (a JL_BOTH member gets the root's data) is read and dropped,
     * at most 4 MiB.
     */
    private static String endOf(RawPeer p) {
        byte[] buf = new byte[64 * 1024];
        try {
            p.socket.setSoTimeout(1);
            for (int total = 0; total < 4 << 20; ) {
                int n = p.in.read(buf);
                if (n < 0) {
                    return "ended by the gateway";
                }
                total += n;
            }
            return "open";
        } catch (SocketTimeoutException e) {
            return "open";
        } catch (IOException e) {
            return "reset by the gateway";
        }
    }

    /** All but the last byte of the largest frame the gateway reads (a DATA before JOIN). */
    static byte[] partialFrame() {
        byte[] whole = Wire.frame(Wire.DATA, new byte[Wire.MAX_FRAME - 5]);
        return Arrays.copyOf(whole, whole.length - 1);
    }

    /**
     * All but the last byte of the largest TLS record the gateway takes before the handshake (18 KiB, the protocol's
     * maximum ciphertext): the TLS handler holds a record until it is whole.
     */
    static byte[] partialTlsRecord() {
        int max = (1 << 14) + 2048; // TlsRecordGuard.MAX_RECORD
        byte[] r = new byte[5 + max - 1];
        r[0] = 0x16; // handshake
        r[1] = 3;
        r[2] = 3;
        r[3] = (byte) (max >> 8);
        r[4] = (byte) max;
        return r;
    }

    /** One member sending {@code size}-byte DATA flat out (a drain thread reads what the root sends, when asked). */
    static Attack dataFlood(String name, String source, int direction, int size, boolean drain, long pauseMillis) {
        return new Attack(name) {
            @Override
            void start(Target t) {
                byte[] data = Wire.data(new byte[size]);
                data[5] = 'A'; // not the root's marker: a legitimate leaf counts it as relayed
                loop("flood", () -> {
                    RawPeer p = track(RawPeer.join(source, t.port(), direction, TIMEOUT_MILLIS));
                    count("joins");
                    p.socket.setSoTimeout(0);
                    Thread drainer = drain ? drainer(p) : null;
                    try {
                        while (running()) {
                            p.write(data);
                            count("messages sent");
                            if (pauseMillis > 0) {
                                pause(pauseMillis);
                            }
                        }
                    } finally {
                        forget(p);
                        if (drainer != null) {
                            drainer.join(1000);
                        }
                    }
                });
            }
        };
    }

    /**
     * Members of a root whose application does not read (issue 11 item 1, decision 49). A filler member first fills
     * the root's receive queue with {@code fillMessages} small DATA (its bound in messages), so that the queue holds
     * little; then members join (JL_BOTH) from 16 /24s of 127.13.0.0/16, each sends one
     * 64 KiB DATA (before decision 52 a full queue took one such message from each member it paused: 20 MB past its
     * bound from a few hundred members), after {@code settleMillis} {@code burstFrames} 64 KiB DATA more, and shuts its
     * output, staying connected without reading:
     * under epoll the gateway reads each paused connection to its end and must hold those bytes within twice the high
     * mark per connection and {@code maxReceivedBytes} in all. Each thread keeps {@code members / threads} members and
     * replaces its oldest by a new one, at most {@code maxJoins} joins in all.
     */
    static Attack pausedHalfClosedMembers(int members, int threads, int fillMessages, long settleMillis,
            int burstFrames, int maxJoins) {
        byte[] small = Wire.data(new byte[64]);
        byte[] first = Wire.data(new byte[Wire.MAX_FRAME - 5]);
        small[5] = 'A';
        byte[] burst = Wire.data(new byte[Wire.MAX_FRAME - 5]);
        first[5] = 'A';
        burst[5] = 'A';
        AtomicLong joins = new AtomicLong();
        return new Attack("paused half-closed members of a non-reading root") {
            @Override
            void start(Target t) {
                ByteBuffer fill = ByteBuffer.allocate(small.length * fillMessages);
                while (fill.hasRemaining()) {
                    fill.put(small);
                }
                AtomicBoolean filled = new AtomicBoolean();
                loop("filler", () -> {
                    if (!filled.get()) {
                        RawPeer filler = track(RawPeer.join("127.13.255.1", t.port(), Winsock2.JL_SENDER_ONLY,
                                TIMEOUT_MILLIS));
                        filler.write(fill.array());
                        count("filler DATA sent", fillMessages);
                        filled.set(true);
                    }
                    pause(100); // the filler stays, paused, until the attack ends
                });
                for (int k = 0; k < threads; k++) {
                    ArrayDeque<RawPeer> held = new ArrayDeque<>();
                    loop("members-" + k, () -> {
                        if (!filled.get() || joins.get() >= maxJoins) {
                            pause(100);
                            return;
                        }
                        if (held.size() >= members / threads) {
                            RawPeer oldest = held.poll();
                            count("renewed, " + endOf(oldest));
                            forget(oldest);
                        }
                        long n = joins.getAndIncrement();
                        String source = "127.13." + (n % 16) + "." + (1 + n / 16 % 250);
                        RawPeer p = track(RawPeer.join(source, t.port(), Winsock2.JL_BOTH, TIMEOUT_MILLIS));
                        // leaving resets, and members take the root's data: the gateway no longer polls a paused
                        // connection whose input ended (decision 49), so it sees the reset at its next write only
                        p.socket.setSoLinger(true, 0);
                        held.add(p);
                        count("joined");
                        p.write(first);
                        pause(settleMillis);
                        for (int i = 0; i < burstFrames && running(); i++) {
                            p.write(burst);
                            count("64 KiB DATA in bursts");
                        }
                        p.socket.shutdownOutput();
                        count("half-closed");
                    });
                }
            }
        };
    }

    private static Thread drainer(RawPeer p) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            try {
                while (p.in.read(buf) >= 0) {
                    // discard: a well-behaved member reads what it is sent
                }
            } catch (IOException e) {
                // closed
            }
        }, "attack-drain");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** A receive-only member that sends DATA anyway: the root's application must never see it. */
    static Attack receiveOnlySendsData() {
        Attack flood = dataFlood("receive-only member sends DATA", "127.5.0.1", Winsock2.JL_RECEIVER_ONLY, 1024, true, 10);
        return new Delegating(flood) {
            @Override
            List<String> violations(String rootStats) {
                long n = statCount(rootStats, "received", "127.5.*");
                return n == 0 ? List.of() : List.of("the root's recvfrom returned " + n
                        + " messages from the JL_RECEIVER_ONLY member");
            }
        };
    }

    /** Members leaving with codes outside the documented set: the root's c_leaf must not report them. */
    static Attack leaveWithUndocumentedCodes() {
        int[] codes = {10050, -5};
        return new Attack("LEAVE with code 10050 / -5") {
            private int n;

            @Override
            void start(Target t) {
                loop("leave", () -> {
                    String source = "127.5.1." + (1 + n % 200);
                    int code = codes[n++ % codes.length];
                    RawPeer p = track(RawPeer.join(source, t.port(), Winsock2.JL_BOTH, TIMEOUT_MILLIS));
                    try {
                        p.write(Wire.leave(code));
                        count("LEAVE " + code);
                    } finally {
                        forget(p);
                    }
                    pause(50);
                });
            }

            @Override
            List<String> violations(String rootStats) {
                List<String> v = new ArrayList<>();
                for (int code : codes) {
                    long seen = statCount(rootStats, "closes", Integer.toString(code));
                    if (seen > 0) {
                        v.add("the root's c_leaf reported FD_CLOSE with " + code + " (" + seen + " times)");
                    }
                }
                return v;
            }
        };
    }

    /**
     * {@code count} raw JOINs from distinct addresses of 127.4.0.0/16, held open and never read. Each thread opens a
     * batch of connections and sends their JOINs before it waits for the answers, so joins arrive as fast as the
     * gateway takes them.
     */
    static Attack rawJoins(int count, int threads) {
        int batch = 50;
        return new Attack("raw JOINs from 127.4.x.y") {
            @Override
            void start(Target t) {
                for (int k = 0; k < threads; k++) {
                    int[] next = {k * batch};
                    loop("joins-" + k, () -> {
                        if (next[0] >= count) {
                            pause(100);
                            return;
                        }
                        List<RawPeer> opened = new ArrayList<>();
                        for (int i = next[0]; i < Math.min(count, next[0] + batch) && running(); i++) {
                            try {
                                RawPeer p = track(RawPeer.connect("127.4." + (i / 250) + "." + (1 + i % 250), t.port(),
                                        TIMEOUT_MILLIS));
                                p.write(Wire.join(Winsock2.JL_BOTH));
                                opened.add(p);
                            } catch (IOException e) {
                                count("connect failed: " + e.getClass().getSimpleName());
                            }
                        }
                        next[0] += threads * batch;
                        for (RawPeer p : opened) {
                            try {
                                Wire.Frame f = Wire.read(p.in);
                                count(f.type() == Wire.ACCEPT ? "joined" : "answered with frame type " + f.type());
                            } catch (IOException e) {
                                count("join failed: " + e.getClass().getSimpleName());
                            }
                        }
                    });
                }
            }
        };
    }

    /** New connections, each sending one frame of an undefined type (each one a WARNING if logging is unbounded). */
    static Attack unknownFrameTypes(int threads) {
        return new Attack("unknown frame type per connection") {
            private final byte[] frame = Wire.frame(0x42, new byte[0]);

            @Override
            void start(Target t) {
                for (int k = 0; k < threads; k++) {
                    int[] n = {k};
                    loop("unknown-" + k, () -> {
                        String source = "127.8." + (n[0] / 250 % 250) + "." + (1 + n[0] % 250);
                        n[0] += threads;
                        RawPeer p = track(RawPeer.connect(source, t.port(), TIMEOUT_MILLIS));
                        try {
                            p.write(frame);
                            count("frames sent");
                            while (p.in.read() >= 0) {
                                // until the gateway closes
                            }
                        } finally {
                            forget(p);
                        }
                    });
                }
            }
        };
    }

    /**
     * Two live members sending 500 messages/s each to a root application that reads slowly: they answer every PING
     * (a reader per member), so the heartbeat must never cut them; back-pressure is not silence.
     */
    static Attack liveSendersToSlowReader() {
        Map<String, String> cut = new ConcurrentHashMap<>();
        return new Attack("slow-reading root vs heartbeat") {
            @Override
            void start(Target t) {
                for (int k = 1; k <= 2; k++) {
                    String source = "127.10.0." + k;
                    loop(source, () -> {
                        RawPeer p = track(RawPeer.join(source, t.port(), Winsock2.JL_BOTH, TIMEOUT_MILLIS));
                        p.socket.setSoTimeout(0);
                        Thread reader = new Thread(() -> {
                            try {
                                for (;;) {
                                    Wire.Frame f = Wire.read(p.in);
                                    if (f.type() == Wire.PING) {
                                        p.write(Wire.pong());
                                    } else if (f.type() == Wire.LEAVE) {
                                        cut.put(source, "LEAVE " + ByteBuffer.wrap(f.body()).getInt());
                                        return;
                                    }
                                }
                            } catch (IOException e) {
                                if (running()) {
                                    cut.putIfAbsent(source, e.toString());
                                }
                            }
                        }, "attack-live-reader-" + source);
                        reader.setDaemon(true);
                        reader.start();
                        byte[] data = Wire.data(new byte[64]);
                        try {
                            while (running() && !cut.containsKey(source)) {
                                p.write(data);
                                count("messages sent");
                                pause(2);
                            }
                        } finally {
                            forget(p);
                            reader.join(1000);
                        }
                        if (running()) {
                            pause(Long.MAX_VALUE); // once cut, the finding stands: do not rejoin
                        }
                    });
                }
            }

            @Override
            List<String> violations(String rootStats) {
                return cut.entrySet().stream().map(e -> "live member " + e.getKey() + " cut: " + e.getValue()).toList();
            }
        };
    }

    /**
     * 64 KiB datagrams flat out to the joined group (multicast on lo, TTL 0) and, beside them, unicast datagrams to
     * 127.0.0.1 and 127.0.0.2 at the group's port: the group member must see group traffic only, and survive it.
     */
    static Attack multicastFlood(String group) {
        List<DatagramChannel> channels = new CopyOnWriteArrayList<>();
        return new Attack("multicast 64 KiB flood + unicast to the group port") {
            @Override
            void start(Target t) throws IOException {
                NetworkInterface lo = NetworkInterface.getByName("lo");
                DatagramChannel multicast = DatagramChannel.open(StandardProtocolFamily.INET)
                        .setOption(StandardSocketOptions.IP_MULTICAST_IF, lo)
                        .setOption(StandardSocketOptions.IP_MULTICAST_TTL, 0)
                        .setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
                DatagramChannel unicast = DatagramChannel.open(StandardProtocolFamily.INET)
                        .bind(new InetSocketAddress("127.11.0.2", 0));
                channels.add(multicast);
                channels.add(unicast);
                InetSocketAddress to = new InetSocketAddress(group, t.groupPort());
                ByteBuffer big = ByteBuffer.allocate(65_000);
                big.put(0, (byte) 'M');
                loop("multicast", () -> {
                    multicast.send(big.clear(), to);
                    count("64 KiB group datagrams");
                });
                ByteBuffer small = ByteBuffer.allocate(1024);
                small.put(0, (byte) 'U');
                loop("unicast", () -> {
                    for (String host : new String[] {"127.0.0.1", "127.0.0.2"}) {
                        unicast.send(small.clear(), new InetSocketAddress(host, t.groupPort()));
                        count("unicast datagrams to " + host);
                    }
                    pause(5);
                });
            }

            @Override
            void stop() throws InterruptedException {
                super.stop();
                for (DatagramChannel c : channels) {
                    try {
                        c.close();
                    } catch (IOException e) {
                        // closing is best effort
                    }
                }
            }

            @Override
            List<String> violations(String rootStats) {
                List<String> v = new ArrayList<>();
                long unicast = statCount(rootStats, "group", "U");
                if (unicast > 0) {
                    v.add("the group member received " + unicast + " unicast datagrams sent to the group's port");
                }
                if (statCount(rootStats, "group", "M") == 0) {
                    v.add("the group member received no group datagram at all: " + rootStats);
                }
                return v;
            }
        };
    }

    /** The number in {@code name={key=n,...}} of a stats line, 0 when absent. */
    static long statCount(String stats, String name, String key) {
        Matcher m = Pattern.compile(name + "=\\{([^}]*)\\}").matcher(stats);
        if (m.find()) {
            for (String kv : m.group(1).split(",")) {
                String[] p = kv.split("=");
                if (p.length == 2 && p[0].equals(key)) {
                    return Long.parseLong(p[1]);
                }
            }
        }
        return 0;
    }

    /** An attack with other pass criteria of its own. */
    private abstract static class Delegating extends Attack {
        private final Attack inner;

        Delegating(Attack inner) {
            super(inner.name);
            this.inner = inner;
        }

        @Override
        void start(Target t) throws Exception {
            inner.start(t);
        }

        @Override
        void stop() throws InterruptedException {
            inner.stop();
        }

        @Override
        String figures() {
            return inner.figures();
        }
    }
}
