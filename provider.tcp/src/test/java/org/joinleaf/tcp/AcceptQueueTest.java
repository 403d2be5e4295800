package org.joinleaf.tcp;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.joinleaf.tcp.session.TcpSettings;
import org.junit.Test;

/**
 * Decision 43 (issue 11, raw JOINs from 127.4.x.y: legitimate joins timed out after 5 s while the flood's bursts
 * overflowed a kernel accept queue of {@code backlog} = 128): the kernel's accept queue of a c_root holds as many
 * connections as the pending-handshake gate admits, whatever {@code backlog} bounds the requests waiting for
 * WSAAccept. A connect over the kernel's queue is dropped without a word and retried after 1 s, then 3 s.
 */
public class AcceptQueueTest extends ProviderFixture {
    private static final int CONNECTS = 32;

    @Override
    TcpSettings.Builder settings() {
        TcpSettings.Builder b = TcpSettings.builder();
        b.backlog = 2;
        b.maxPendingHandshakes = 64;
        b.maxPendingHandshakesPerSource = 64;
        return b;
    }

    @Test // decision 43: a burst the pending-handshake gate admits waits in the kernel, none dropped by a small backlog
    public void theKernelQueuesAsManyConnectsAsTheGateAdmits() throws Exception {
        MultipointSocket root = socket(true, C_ROOT_D_ROOT, new RecordingUpcalls("root"));
        root.bind(SOCKADDR.of("127.0.0.1", 0)); // listening in the kernel; nobody accepts before listen()
        InetSocketAddress at = root.localAddress().toInetSocketAddress();
        List<Socket> connected = new ArrayList<>();
        try {
            for (int i = 0; i < CONNECTS; i++) {
                Socket s = new Socket();
                try {
                    // over a full accept queue the SYN is dropped and retried after 1 s: this one never connects
                    s.connect(at, 2000);
                    connected.add(s);
                } catch (IOException e) {
                    s.close();
                    break;
                }
            }
            assertEquals("connects the kernel took with backlog 2", CONNECTS, connected.size());
        } finally {
            for (Socket s : connected) {
                s.close();
            }
        }
    }
}
