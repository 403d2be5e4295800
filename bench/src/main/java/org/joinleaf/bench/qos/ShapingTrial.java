package org.joinleaf.bench.qos;

import static org.joinleaf.api.Winsock2.FD_READ;
import static org.joinleaf.api.Winsock2.SOCKET_ERROR;
import static org.joinleaf.api.Winsock2.WSAEWOULDBLOCK;
import static org.joinleaf.api.Winsock2.WSA_WAIT_FAILED;
import static org.joinleaf.api.Winsock2.WSA_WAIT_TIMEOUT;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSAEVENT;
import org.joinleaf.api.WSANETWORKEVENTS;
import org.joinleaf.runtime.WinsockProcess;

/**
 * One trial: a fresh root, one leaf per {@link FlowSpec} joined to it (shaped flows with their lpSQOS), then every
 * leaf sends {@code messageBytes} messages with blocking {@code send} as fast as the API allows, all starting
 * together, for {@code sendMillis}. One reader thread drains the root ({@code recvfrom}, attributed to each leaf by
 * its address) until everything sent arrived or the drain bound passed. Shaped flows log when each send returned.
 */
final class ShapingTrial {
    /** Longest the reader blocks in one wait, so it notices the stop flag quickly. */
    private static final long POLL_MILLIS = 20;
    private static final long JOIN_MILLIS = 2000;

    /** What one flow did in the trial. */
    record FlowResult(FlowSpec spec, SendLog log, long startNanos, long lastReturnNanos, long deliveredMessages) {
        long sendNanos() {
            return lastReturnNanos - startNanos;
        }

        /** Bytes per second accepted by send, from the start gate to the last send's return. */
        double achievedBytesPerSecond() {
            return log.bytes() * 1e9 / sendNanos();
        }
    }

    private final QosRig rig;
    private final WinsockProcess ws;
    private final int messageBytes;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Map<SOCKADDR, LongAdder> deliveredBySource = new HashMap<>();

    private ShapingTrial(QosRig rig, int messageBytes) {
        this.rig = rig;
        this.ws = rig.winsock();
        this.messageBytes = messageBytes;
    }

    /** Runs the flows together; results in the order of {@code flows}. */
    static List<FlowResult> run(QosRig rig, List<FlowSpec> flows, int messageBytes, long sendMillis,
                                long drainMillis) throws IOException, InterruptedException {
        return new ShapingTrial(rig, messageBytes).measure(flows, sendMillis, drainMillis);
    }

    private List<FlowResult> measure(List<FlowSpec> flows, long sendMillis, long drainMillis)
            throws IOException, InterruptedException {
        SOCKADDR at = new SOCKADDR();
        SOCKET root = rig.listeningRoot(at);
        List<SOCKET> leaves = new ArrayList<>();
        List<LongAdder> delivered = new ArrayList<>();
        try {
            for (FlowSpec f : flows) {
                SOCKADDR local = new SOCKADDR();
                leaves.add(rig.joinedLeaf(root, at, f.qos(), local));
                LongAdder counter = new LongAdder();
                deliveredBySource.put(local, counter); // filled before the reader starts, read-only after
                delivered.add(counter);
            }
            WSAEVENT readable = ws.WSACreateEvent();
            rig.check(ws.WSAEventSelect(root, readable, FD_READ), "WSAEventSelect"); // root is non-blocking now
            Thread reader = new Thread(() -> readUntilStopped(root, readable), "bench-qos-reader");
            reader.setDaemon(true);
            reader.start();
            try {
                List<FlowResult> results = sendTogether(flows, leaves, delivered, sendMillis);
                drain(results, delivered, drainMillis);
                return finish(results, delivered);
            } finally {
                stop.set(true);
                reader.join(JOIN_MILLIS);
                ws.WSACloseEvent(readable);
            }
        } finally {
            for (SOCKET leaf : leaves) {
                ws.closesocket(leaf); // returns the flow's reservation
            }
            ws.closesocket(root);
        }
    }

    private List<FlowResult> sendTogether(List<FlowSpec> flows, List<SOCKET> leaves, List<LongAdder> delivered,
                                          long sendMillis) throws IOException, InterruptedException {
        CountDownLatch gate = new CountDownLatch(1);
        List<Thread> senders = new ArrayList<>();
        FlowResult[] results = new FlowResult[flows.size()];
        for (int i = 0; i < flows.size(); i++) {
            int index = i;
            FlowSpec spec = flows.get(i);
            SendLog log = new SendLog(logCapacity(spec, sendMillis));
            Thread t = new Thread(() -> {
                try {
                    gate.await();
                    results[index] = sendFor(spec, leaves.get(index), log, sendMillis);
                } catch (IOException | RuntimeException | InterruptedException e) {
                    failure.compareAndSet(null, e);
                }
            }, "bench-qos-sender-" + spec.label());
            t.setDaemon(true);
            t.start();
            senders.add(t);
        }
        gate.countDown();
        for (Thread t : senders) {
            t.join(sendMillis + 10_000); // a blocking send ends within one bucket refill after the deadline
        }
        rethrowFailure();
        List<FlowResult> list = new ArrayList<>();
        for (int i = 0; i < results.length; i++) {
            if (results[i] == null) {
                Thread stuck = senders.get(i);
                StringBuilder where = new StringBuilder();
                for (StackTraceElement e : stuck.getStackTrace()) {
                    where.append("\n\tat ").append(e);
                }
                throw new IOException(stuck.getName() + " did not finish within 10 s of the deadline; it is at:"
                        + where);
            }
            list.add(results[i]);
        }
        return list;
    }

    /** Shaped flows log every send (bounded by what the bucket and rate allow); unshaped ones only count. */
    private int logCapacity(FlowSpec spec, long sendMillis) {
        if (!spec.shaped()) {
            return 0;
        }
        long most = (spec.bucketBytes() + spec.tokenRate() * (sendMillis + 1000) / 1000) / messageBytes + 2;
        return (int) Math.min(most, 50_000_000);
    }

    private FlowResult sendFor(FlowSpec spec, SOCKET leaf, SendLog log, long sendMillis) throws IOException {
        byte[] message = new byte[messageBytes];
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(sendMillis);
        long now = start;
        while (now - deadline < 0 && failure.get() == null) {
            if (ws.send(leaf, message, message.length, 0) == SOCKET_ERROR) { // blocking: waits for tokens and room
                throw rig.failure("send (" + spec.label() + ")");
            }
            now = System.nanoTime();
            log.record(now, message.length);
        }
        return new FlowResult(spec, log, start, now, 0);
    }

    private void drain(List<FlowResult> results, List<LongAdder> delivered, long drainMillis)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMillis);
        for (int i = 0; i < results.size(); i++) {
            while (delivered.get(i).sum() < results.get(i).log().messages() && System.nanoTime() - deadline < 0
                    && failure.get() == null) {
                Thread.sleep(10); // polling a counter, not synchronising: progress decides
            }
        }
    }

    private List<FlowResult> finish(List<FlowResult> results, List<LongAdder> delivered) throws IOException {
        rethrowFailure();
        List<FlowResult> done = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            FlowResult r = results.get(i);
            done.add(new FlowResult(r.spec(), r.log(), r.startNanos(), r.lastReturnNanos(), delivered.get(i).sum()));
        }
        return done;
    }

    private void readUntilStopped(SOCKET root, WSAEVENT readable) {
        WSAEVENT[] events = {readable};
        WSANETWORKEVENTS happened = new WSANETWORKEVENTS();
        byte[] buffer = new byte[messageBytes];
        SOCKADDR from = new SOCKADDR();
        int[] fromLength = new int[1];
        try {
            while (!stop.get()) {
                int r = ws.WSAWaitForMultipleEvents(1, events, false, (int) POLL_MILLIS, false);
                if (r == WSA_WAIT_TIMEOUT) {
                    continue;
                }
                if (r == WSA_WAIT_FAILED) {
                    throw rig.failure("WSAWaitForMultipleEvents");
                }
                rig.check(ws.WSAEnumNetworkEvents(root, readable, happened), "WSAEnumNetworkEvents");
                for (int n = 0; n < 10_000 && !stop.get(); n++) { // bounded per wake-up; FD_READ re-arms
                    fromLength[0] = SOCKADDR.SIZEOF_SOCKADDR_STORAGE;
                    if (ws.recvfrom(root, buffer, buffer.length, 0, from, fromLength) == SOCKET_ERROR) {
                        if (ws.WSAGetLastError() == WSAEWOULDBLOCK) {
                            break;
                        }
                        throw rig.failure("recvfrom");
                    }
                    LongAdder counter = deliveredBySource.get(from);
                    if (counter == null) {
                        throw new IOException("a message from " + from + ", which is none of this trial's leaves");
                    }
                    counter.increment();
                }
            }
        } catch (IOException | RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    private void rethrowFailure() throws IOException {
        Throwable t = failure.get();
        if (t != null) {
            throw new IOException("the trial failed: " + t, t);
        }
    }
}
