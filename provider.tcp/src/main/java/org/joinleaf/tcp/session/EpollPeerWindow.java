package org.joinleaf.tcp.session;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.RawUnixChannelOption;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@link PeerWindow} from the kernel's {@code struct tcp_info} (epoll only; loaded only by {@link EpollTransport}),
 * one getsockopt per question. Read raw because Netty's {@code EpollTcpInfo} stops before {@code tcpi_snd_wnd}, the
 * window the peer last advertised, which is what tells a closed window from a sender that merely has nothing in
 * flight (a segment a shaping qdisc dropped before it left the host looks the same in every older field: nothing
 * unacknowledged, no probe yet; measured in {@code VethEvictionTest} at 10 Mbit/s).
 */
final class EpollPeerWindow implements PeerWindow {
    static final EpollPeerWindow INSTANCE = new EpollPeerWindow();

    /** Offsets in {@code struct tcp_info} (linux/tcp.h); {@code tcpi_snd_wnd} came with Linux 5.4. */
    private static final int PROBES = 3;
    private static final int BACKOFF = 4;
    private static final int SND_MSS = 16;
    private static final int UNACKED = 24;
    private static final int LAST_ACK_RECV = 56;
    private static final int SND_WND = 228;
    private static final RawUnixChannelOption TCP_INFO =
            new RawUnixChannelOption("TCP_INFO", 6 /* IPPROTO_TCP */, 11 /* TCP_INFO */, SND_WND + 4);

    /** False on kernels older than 5.4, whose tcp_info has no {@code tcpi_snd_wnd}: UNKNOWN there. */
    private final boolean hasSendWindow = atLeast(System.getProperty("os.version", ""), 5, 4);

    private EpollPeerWindow() {
    }

    @Override
    public Reading of(Channel c) {
        if (!hasSendWindow || !(c instanceof EpollSocketChannel) || !c.isActive()) {
            return Reading.UNKNOWN;
        }
        ByteBuffer info;
        try {
            info = c.config().getOption(TCP_INFO).order(ByteOrder.nativeOrder());
        } catch (RuntimeException e) { // closed under us
            return new Reading(State.UNKNOWN, "TCP_INFO failed: " + e);
        }
        long unacked = Integer.toUnsignedLong(info.getInt(UNACKED));
        long sendWindow = Integer.toUnsignedLong(info.getInt(SND_WND));
        long mss = Integer.toUnsignedLong(info.getInt(SND_MSS));
        String figures = "peer window " + sendWindow + " B, unacked " + unacked + ", probes "
                + Byte.toUnsignedInt(info.get(PROBES)) + ", backoff " + Byte.toUnsignedInt(info.get(BACKOFF))
                + ", last ack " + Integer.toUnsignedLong(info.getInt(LAST_ACK_RECV)) + " ms ago";
        return new Reading(classify(sendWindow, mss, unacked), figures);
    }

    /**
     * CLOSED when the peer advertises less than one segment and nothing is in flight: it took all we sent and has no
     * room (a receiver that is reading opens its window again at once). Anything else is IN_FLIGHT.
     */
    static State classify(long sendWindow, long mss, long unacked) {
        return sendWindow < Math.max(1, mss) && unacked == 0 ? State.CLOSED : State.IN_FLIGHT;
    }

    /** True when {@code version} ({@code os.version}, e.g. "6.1.0-18-amd64") is at least major.minor. */
    static boolean atLeast(String version, int major, int minor) {
        String[] parts = version.split("[.-]");
        try {
            int ma = Integer.parseInt(parts[0]);
            int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return ma > major || ma == major && mi >= minor;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
