package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;

import java.util.Map;
import org.joinleaf.runtime.dto.CountersDTO;
import org.junit.Test;

/** Issue 6 item 6: join and traffic counters, errors by Winsock name. */
public class CountersTest {

    @Test
    public void joinsTrafficAndErrorsAreCountedAndSnapshotted() {
        Counters c = new Counters();
        c.joinAttempted();
        c.joinAttempted();
        c.joinEnded(0);
        c.joinEnded(WSAECONNREFUSED);
        SocketCounters socket = new SocketCounters(c); // traffic is counted per socket and summed (decision 54)
        socket.sent(18);
        socket.sent(2);
        socket.received(13);
        c.error(WSAENETDOWN);
        c.error(WSAENETDOWN);
        CountersDTO d = c.dto();
        assertEquals(2, d.joinsAttempted);
        assertEquals(1, d.joinsAccepted);
        assertEquals(1, d.joinsRefused);
        assertEquals(2, d.messagesOut);
        assertEquals(20, d.bytesOut);
        assertEquals(1, d.messagesIn);
        assertEquals(13, d.bytesIn);
        assertEquals("a refusal is also an error by code", Map.of("WSAECONNREFUSED", 1L, "WSAENETDOWN", 2L), d.errors);
    }
}
