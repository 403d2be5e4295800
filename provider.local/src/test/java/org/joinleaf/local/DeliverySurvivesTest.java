package org.joinleaf.local;

import static org.joinleaf.local.Harness.receive;
import static org.joinleaf.local.Harness.send;
import static org.junit.Assert.assertEquals;

import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.local.Harness.Sock;
import org.joinleaf.spi.ConnectRequest;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.spi.testkit.RecordingCompletion;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.junit.After;
import org.junit.Test;

/**
 * Issue 11 deliverable 5, envelope E12 (a throwable in the delivery path): one receiver whose upcall throws (an
 * {@code OutOfMemoryError} here) used to stop the delivery to every receiver after it and reach the sending
 * application. It is counted, the others are served, and later sends work.
 */
public class DeliverySurvivesTest {
    private static final SOCKADDR GROUP = SOCKADDR.of("239.1.2.4", 5000);

    private final Harness h = new Harness();

    @After
    public void stop() {
        h.close();
    }

    @Test
    public void issue11_aThrowingUpcallIsCountedAndTheOtherReceiversStillGetTheirEvents() throws Exception {
        Sock sender = join(new RecordingUpcalls(), Winsock2.JL_SENDER_ONLY);
        SocketUpcalls throwing = (bit, code) -> {
            throw new OutOfMemoryError("injected: no heap for the event");
        };
        Sock broken = join(throwing, Winsock2.JL_RECEIVER_ONLY);
        RecordingUpcalls healthyEvents = new RecordingUpcalls();
        Sock healthy = join(healthyEvents, Winsock2.JL_RECEIVER_ONLY);

        send(sender.socket(), "one");
        send(sender.socket(), "two");

        assertEquals(0, healthyEvents.await(Winsock2.FD_READ_BIT));
        assertEquals(0, healthyEvents.await(Winsock2.FD_READ_BIT));
        assertEquals("one", receive(healthy.socket(), null));
        assertEquals("two", receive(healthy.socket(), null));
        assertEquals("each failed upcall was counted", 2, h.network().failures());
        assertEquals("the broken receiver's data is still queued for it", "one", receive(broken.socket(), null));
    }

    private Sock join(SocketUpcalls upcalls, int direction) throws Exception {
        ProviderSocket s = h.provider.socket(h.entry(LocalCatalog.MULTICAST, Winsock2.AF_INET),
                Winsock2.WSA_FLAG_MULTIPOINT_C_LEAF | Winsock2.WSA_FLAG_MULTIPOINT_D_LEAF, upcalls);
        RecordingCompletion joined = new RecordingCompletion();
        ((org.joinleaf.spi.MultipointSocket) s).join(new ConnectRequest(GROUP, null, 0, null, direction, null),
                joined);
        joined.awaitConnected();
        return new Sock(s, upcalls instanceof RecordingUpcalls r ? r : null);
    }
}
