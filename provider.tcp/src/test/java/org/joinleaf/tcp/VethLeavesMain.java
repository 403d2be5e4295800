package org.joinleaf.tcp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.ConnectRequest;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.testkit.RecordingCompletion;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.joinleaf.tcp.session.TcpSettings;
import org.joinleaf.tcp.session.TransportChoice;

/**
 * Healthy leaves across a real link for {@link VethEvictionTest}, in their own JVM inside the network namespace: joins
 * {@code leaves} leaves to the root, prints {@value #JOINED}, then each reads {@code messages} messages as fast as they
 * come and prints one line {@code leaf N received R in order, D out of order, FD_CLOSE C} (C is -1 while joined),
 * then {@value #DONE}, and keeps its links until its standard input ends (the test's verdict on the root's links is
 * not raced by their close) or 10 s pass. It exits by itself after two minutes at most.
 */
public final class VethLeavesMain {
    static final String JOINED = "JOINED";
    static final String DONE = "DONE";

    private VethLeavesMain() {
    }

    /**
     * {@code host port leaves messages messageSize [transport]}; the transport defaults to the provider's default.
     * Under epoll a leaf's SO_RCVBUF is fixed at its paused-input budget (decision 49), so leaves that must hold a
     * whole burst in their kernel run NIO, whose buffer follows the namespace's {@code tcp_rmem}.
     */
    public static void main(String[] args) throws Exception {
        SOCKADDR root = SOCKADDR.of(args[0], Integer.parseInt(args[1]));
        int leaves = Integer.parseInt(args[2]);
        int messages = Integer.parseInt(args[3]);
        int size = Integer.parseInt(args[4]);
        TcpProvider provider = new TcpProvider();
        TcpSettings.Builder settings = TcpSettings.builder();
        if (args.length > 5) {
            settings.transport = TransportChoice.valueOf(args[5]);
        }
        provider.start(settings.build());
        try {
            List<MultipointSocket> sockets = new ArrayList<>();
            List<RecordingUpcalls> upcalls = new ArrayList<>();
            for (int i = 0; i < leaves; i++) {
                RecordingUpcalls up = new RecordingUpcalls("leaf " + i);
                MultipointSocket leaf = (MultipointSocket) provider.socket(provider.protocols().get(0),
                        Winsock2.WSA_FLAG_MULTIPOINT_C_LEAF | Winsock2.WSA_FLAG_MULTIPOINT_D_LEAF, up);
                RecordingCompletion done = new RecordingCompletion();
                leaf.join(new ConnectRequest(root, null, 1024, null, Winsock2.JL_BOTH, null), done);
                done.awaitConnected();
                sockets.add(leaf);
                upcalls.add(up);
            }
            System.out.println(JOINED);
            System.out.flush();
            List<CompletableFuture<String>> results = new ArrayList<>();
            for (int i = 0; i < leaves; i++) {
                int n = i;
                results.add(CompletableFuture.supplyAsync(() -> read(n, sockets.get(n), upcalls.get(n), messages,
                        size)));
            }
            for (CompletableFuture<String> r : results) {
                System.out.println(r.get(110, TimeUnit.SECONDS));
            }
            System.out.println(DONE);
            System.out.flush();
            Thread stdin = new Thread(() -> {
                try {
                    System.in.read();
                } catch (java.io.IOException e) {
                    // the test is gone: stop
                }
            });
            stdin.setDaemon(true);
            stdin.start();
            stdin.join(10_000);
        } finally {
            provider.stop();
        }
    }

    private static String read(int n, MultipointSocket leaf, RecordingUpcalls up, int messages, int size) {
        int received = 0;
        int disorder = 0;
        String stop = "";
        ByteBuffer buffer = ByteBuffer.allocate(size + 1);
        try {
            while (received < messages && up.posted(Winsock2.FD_CLOSE_BIT) == 0) {
                up.until("message " + received, () -> leaf.available() > 0 || up.posted(Winsock2.FD_CLOSE_BIT) > 0);
                if (leaf.available() > 0) {
                    buffer.clear();
                    leaf.receive(buffer, null, false);
                    disorder += buffer.getInt(0) == received ? 0 : 1;
                    received++;
                }
            }
        } catch (Exception | AssertionError e) {
            stop = " (" + e + ")";
        }
        int closed = up.posted(Winsock2.FD_CLOSE_BIT) == 0 ? -1 : up.lastError(Winsock2.FD_CLOSE_BIT);
        return "leaf " + n + " received " + received + " in order, " + disorder + " out of order, FD_CLOSE " + closed
                + stop;
    }
}
