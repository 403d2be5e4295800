package org.joinleaf.tcp;

import java.util.List;
import java.util.UUID;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.spi.TransportProvider;
import org.joinleaf.spi.WsaException;
import org.joinleaf.tcp.session.SessionSettings;
import org.joinleaf.tcp.session.TcpTransport;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The TCP multipoint provider: rooted control plane, with a rooted or a non-rooted (root-relayed) data plane, for
 * IPv4 and IPv6. A DS component, and a plain object too: {@code new TcpTransportProvider()}, then
 * {@link #start(SessionSettings)} and {@link #stop()} (tests, benchmarks).
 *
 * <p>Pitfall: a configuration change re-activates the component (new event loops, new catalog), so sockets of the
 * old instance end with the runtime's {@code WSAENETDOWN}, as for any provider that leaves.
 */
@Component(service = TransportProvider.class, configurationPid = TcpTransportProvider.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {TransportProvider.PROVIDER_NAME + "=tcp", "service.ranking:Integer=200"})
@Designate(ocd = TcpProviderConfig.class)
public final class TcpTransportProvider implements TransportProvider {
    /** Configuration PID. */
    public static final String PID = "org.joinleaf.tcp";
    /** The ProviderId of every catalog entry of this provider. */
    public static final UUID PROVIDER_ID = UUID.fromString("4a4c5450-7463-7020-6d75-6c7469706f69");
    /** Entry name of rooted control + rooted data. */
    public static final String ROOTED = "joinleaf tcp multipoint [rooted]";
    /** Entry name of rooted control + non-rooted (relayed) data. */
    public static final String RELAYED = "joinleaf tcp multipoint [rooted control, non-rooted data]";

    /** XP1 bits of the rooted/rooted entry; the relayed entry lacks XP1_MULTIPOINT_DATA_PLANE. */
    public static final int XP1_ROOTED = Winsock2.XP1_SUPPORT_MULTIPOINT | Winsock2.XP1_MULTIPOINT_CONTROL_PLANE
            | Winsock2.XP1_MULTIPOINT_DATA_PLANE | Winsock2.XP1_CONNECT_DATA | Winsock2.XP1_GUARANTEED_DELIVERY
            | Winsock2.XP1_GUARANTEED_ORDER | Winsock2.XP1_MESSAGE_ORIENTED;

    private volatile TcpTransport transport;
    private volatile List<WSAPROTOCOL_INFO> catalog = List.of();

    @Activate
    void activate(TcpProviderConfig config) {
        start(new SessionSettings(config.eventLoopThreads(), config.joinTimeoutMillis(), config.maxConnectData(),
                config.maxMessageSize(), config.writeBufferLowWaterMark(), config.writeBufferHighWaterMark(),
                config.slowLeafPolicy(), config.slowLeafTimeoutMillis(), config.heartbeatIntervalMillis(),
                config.heartbeatTimeoutMillis(), config.receiveQueueMessages(), config.backlog()));
    }

    /** Starts the event loops and builds the catalog (what {@code @Activate} does, without OSGi). */
    public void start(SessionSettings settings) {
        catalog = List.of(entry(Winsock2.AF_INET, true, settings), entry(Winsock2.AF_INET6, true, settings),
                entry(Winsock2.AF_INET, false, settings), entry(Winsock2.AF_INET6, false, settings));
        transport = new TcpTransport(settings);
    }

    /** Closes every socket and stops the event loops within 3 s (what {@code @Deactivate} does). */
    @Deactivate
    public void stop() {
        TcpTransport t = transport;
        transport = null;
        if (t != null) {
            t.shutdown(3000);
        }
    }

    @Override
    public List<WSAPROTOCOL_INFO> protocols() {
        return catalog;
    }

    @Override
    public ProviderSocket socket(WSAPROTOCOL_INFO entry, int dwFlags, SocketUpcalls upcalls) throws WsaException {
        TcpTransport t = transport;
        if (t == null) {
            throw new WsaException(Winsock2.WSAENETDOWN, "the TCP multipoint provider is not active");
        }
        return t.open(entry.iAddressFamily, entry.has(Winsock2.XP1_MULTIPOINT_DATA_PLANE), dwFlags, upcalls);
    }

    /** The running engine, or {@code null} when stopped (tests, benchmarks). */
    public TcpTransport transport() {
        return transport;
    }

    private static WSAPROTOCOL_INFO entry(int family, boolean rootedData, SessionSettings settings) {
        WSAPROTOCOL_INFO e = new WSAPROTOCOL_INFO();
        e.ProviderId = PROVIDER_ID;
        e.dwServiceFlags1 = rootedData ? XP1_ROOTED : XP1_ROOTED & ~Winsock2.XP1_MULTIPOINT_DATA_PLANE;
        e.dwProviderFlags = Winsock2.PFL_MULTIPLE_PROTO_ENTRIES | (rootedData ? Winsock2.PFL_RECOMMENDED_PROTO_ENTRY : 0);
        e.iAddressFamily = family;
        int size = family == Winsock2.AF_INET6 ? SOCKADDR.SIZEOF_SOCKADDR_IN6 : SOCKADDR.SIZEOF_SOCKADDR_IN;
        e.iMaxSockAddr = size;
        e.iMinSockAddr = size;
        e.iSocketType = Winsock2.SOCK_STREAM;
        e.iProtocol = Winsock2.IPPROTO_TCP;
        e.iNetworkByteOrder = 0;
        e.dwMessageSize = settings.maxMessageSize();
        e.szProtocol = rootedData ? ROOTED : RELAYED;
        return e;
    }
}
