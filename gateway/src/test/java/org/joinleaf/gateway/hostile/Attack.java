package org.joinleaf.gateway.hostile;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One hostile peer (or crowd of them) of the suite, run from the test JVM over loopback. Its loops repeat until
 * {@link #stop()}, which closes every socket they opened (that also frees a thread blocked writing to a gateway that
 * stopped reading) and joins them, bounded. Counters say what the attack got done.
 */
abstract class Attack {
    /** What an attack needs to know of its target. */
    record Target(int port, int lobbyPort, int groupPort) {
    }

    /** A loop body; an IOException ends one round (the gateway closed us, as it may), not the loop. */
    interface Round {
        void run() throws IOException, InterruptedException;
    }

    final String name;
    private volatile boolean running;
    private final List<Thread> threads = new ArrayList<>();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();

    Attack(String name) {
        this.name = name;
    }

    /** Starts the attack's threads; they run until stop(). */
    abstract void start(Target target) throws Exception;

    /** Runs {@code round} again and again on a new thread until stop(). */
    final void loop(String thread, Round round) {
        running = true;
        Thread t = new Thread(() -> {
            try {
                while (running) {
                    try {
                        round.run();
                    } catch (IOException e) {
                        if (running) {
                            count(errors, e.getClass().getSimpleName() + (e.getMessage() == null ? ""
                                    : ": " + e.getMessage().replaceAll("[0-9.:/]+", "#")));
                            pause(10); // the gateway refused or closed us: try again, but never spin
                        }
                    }
                }
            } catch (InterruptedException e) {
                // stop()
            }
        }, "attack-" + name + "-" + thread);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    boolean running() {
        return running;
    }

    /** Tracks a peer's socket so stop() closes it. */
    final RawPeer track(RawPeer p) {
        sockets.add(p.socket);
        if (!running) {
            p.close();
        }
        return p;
    }

    final void forget(RawPeer p) {
        sockets.remove(p.socket);
        p.close();
    }

    final void count(String what) {
        count(counters, what);
    }

    final void count(String what, long n) {
        counters.computeIfAbsent(what, k -> new AtomicLong()).addAndGet(n);
    }

    private static void count(Map<String, AtomicLong> m, String what) {
        m.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
    }

    static void pause(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    void stop() throws InterruptedException {
        running = false;
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // closing is best effort
            }
        }
        for (Thread t : threads) {
            t.interrupt();
            t.join(5000);
        }
    }

    /** Extra pass criteria of this case, checked after the attack; empty when it has none or all hold. */
    List<String> violations(String rootStats) {
        return List.of();
    }

    String figures() {
        return "counts " + new TreeMap<>(counters) + (errors.isEmpty() ? "" : " errors " + new TreeMap<>(errors));
    }
}
