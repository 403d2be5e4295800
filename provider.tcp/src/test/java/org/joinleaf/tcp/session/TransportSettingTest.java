package org.joinleaf.tcp.session;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.junit.Assume.assumeTrue;

import java.util.List;
import java.util.Map;
import org.joinleaf.spi.config.BadConfigurationException;
import org.joinleaf.spi.config.ConfigCheck;
import org.joinleaf.spi.config.ConfigValues;
import org.joinleaf.spi.testkit.LogLines;
import org.joinleaf.tcp.TcpProvider;
import org.joinleaf.tcp.TcpProviderConfig;
import org.junit.Test;

/** The {@code transport} setting (issue 14 item 6, decision 40): AUTO, NIO, EPOLL and what each becomes. */
public class TransportSettingTest {
    private static final String NO_EPOLL = "the native epoll transport is not installed (test)";

    @Test // the Metatype definition is the only place the default is written: AUTO
    public void theDefaultIsAuto() { // decisions 40 and 49: epoll where it loads, since the relay bound holds under it
        assertEquals(TransportChoice.AUTO, TcpSettings.defaults().transport());
    }

    @Test // decision 32: EPOLL where epoll does not load is refused naming PID, setting and value, never replaced
    public void epollWhereItDoesNotLoadIsRefusedNamingTheSetting() {
        TcpProviderConfig config = ConfigValues.of(TcpProviderConfig.class, Map.of("transport", "EPOLL"));
        try {
            IoTransports.check(ConfigCheck.of(TcpProvider.PID, config), TransportChoice.EPOLL, () -> NO_EPOLL);
            fail("EPOLL accepted where epoll does not load");
        } catch (BadConfigurationException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(TcpProvider.PID)
                    && e.getMessage().contains("transport") && e.getMessage().contains("EPOLL")
                    && e.getMessage().contains(NO_EPOLL) && e.getMessage().contains("AUTO"));
        }
        IoTransports.check(ConfigCheck.of(TcpProvider.PID, config), TransportChoice.AUTO, () -> NO_EPOLL);
        IoTransports.check(ConfigCheck.of(TcpProvider.PID, config), TransportChoice.NIO, () -> NO_EPOLL);
    }

    @Test // AUTO without epoll: NIO, and one INFO line saying why
    public void autoFallsBackToNioWithOneLineWhy() throws Exception {
        IoTransport[] picked = new IoTransport[1];
        List<String> lines = LogLines.of(IoTransports.class,
                () -> picked[0] = IoTransports.of(TransportChoice.AUTO, () -> NO_EPOLL));
        assertSame(NioTransport.INSTANCE, picked[0]);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0), lines.get(0).contains("NIO") && lines.get(0).contains(NO_EPOLL));
    }

    @Test // NIO is NIO wherever epoll loads, silently
    public void nioIsNio() throws Exception {
        List<String> lines = LogLines.of(IoTransports.class,
                () -> assertSame(NioTransport.INSTANCE, IoTransports.of(TransportChoice.NIO, () -> null)));
        assertEquals(List.of(), lines);
    }

    @Test // AUTO where epoll loads (this Linux x86_64 build has the native fragment on its test class path)
    public void autoPicksEpollWhereItLoads() {
        assumeTrue(IoTransports.epollUnavailable() == null);
        assertSame(EpollTransport.INSTANCE, IoTransports.of(TransportChoice.AUTO));
        assertEquals("EPOLL", IoTransports.of(TransportChoice.AUTO).name());
    }
}
