package org.joinleaf.tcp;

import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.ConnectRequest;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.testkit.RecordingCompletion;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.joinleaf.tcp.session.TcpSettings;

/**
 * A leaf in its own JVM for the crash and partition tests: joins the root named by its arguments with the real
 * provider, prints {@value #JOINED} on stdout, then waits to be killed. It exits by itself after two minutes so a
 * stray process cannot outlive a failed build for long.
 */
public final class CrashLeafMain {
    static final String JOINED = "JOINED";

    private CrashLeafMain() {
    }

    /** {@code host port}. */
    public static void main(String[] args) throws Exception {
        TcpProvider provider = new TcpProvider();
        provider.start(TcpSettings.defaults());
        try {
            RecordingUpcalls upcalls = new RecordingUpcalls("crash leaf");
            MultipointSocket leaf = (MultipointSocket) provider.socket(provider.protocols().get(0),
                    Winsock2.WSA_FLAG_MULTIPOINT_C_LEAF | Winsock2.WSA_FLAG_MULTIPOINT_D_LEAF, upcalls);
            RecordingCompletion done = new RecordingCompletion();
            leaf.join(new ConnectRequest(SOCKADDR.of(args[0], Integer.parseInt(args[1])), null, 1024, null,
                    Winsock2.JL_BOTH, null), done);
            done.awaitConnected();
            System.out.println(JOINED);
            System.out.flush();
            upcalls.await(Winsock2.FD_CLOSE_BIT); // bounded (RecordingUpcalls.TIMEOUT_MILLIS); normally killed first
            Thread.sleep(110_000);
        } finally {
            provider.stop();
        }
    }
}
