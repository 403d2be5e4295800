package org.joinleaf.bench.tcp;

import static org.joinleaf.api.Winsock2.JL_BOTH;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;

/**
 * The leaves of the heap measurement, in a JVM of their own so the root's heap holds only root-side objects:
 * {@code LeafProcess <host> <port> <leaves> <threads>} joins that many leaves (blocking, 16 B caller data), prints
 * {@code joined <n>} on stdout, keeps them joined and idle until stdin ends, then closes everything and exits.
 */
public final class LeafProcess {
    private LeafProcess() {
    }

    public static void main(String[] args) throws Exception {
        SOCKADDR root = SOCKADDR.of(args[0], Integer.parseInt(args[1]));
        int leaves = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        int status = 0;
        try (TcpStack stack = TcpStack.forJoins()) {
            List<SOCKET> joined = Joins.joinMany(stack, root, leaves, threads, JL_BOTH);
            System.out.println("joined " + joined.size());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                // the parent closes stdin (or dies) when its measurement is done
            }
        } catch (Exception e) {
            System.out.println("failed " + e);
            status = 1;
        }
        System.exit(status);
    }
}
