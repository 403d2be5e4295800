package org.joinleaf.multicast;

import static org.joinleaf.api.Winsock2.FD_READ_BIT;
import static org.joinleaf.api.Winsock2.JL_RECEIVER_ONLY;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_C_LEAF;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_D_LEAF;

import java.lang.management.ManagementFactory;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.spi.config.ConfigValues;
import org.joinleaf.spi.ConnectCompletion;
import org.joinleaf.spi.ConnectRequest;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.ProviderSocket;

/**
 * The attack of issue 11 as a program, for {@link SmallHeapFloodTest} to run in a JVM with the gateway's flags: a
 * provider with its default limits, four members of one group that never read, and 600 datagrams of 64 KiB sent to
 * the group. Prints one line of figures and exits 0 when the I/O thread survived and still delivers.
 */
public final class FloodPeer {
    static final int DATAGRAMS = 600;
    static final int MEMBERS = 4;

    private FloodPeer() {
    }

    public static void main(String[] args) throws Exception {
        SOCKADDR group = SOCKADDR.of(args[0], Integer.parseInt(args[1]));
        MulticastProvider provider = new MulticastProvider();
        provider.activate(ConfigValues.of(MulticastConfig.class, Map.of("interfaceName", "lo", "defaultScope", 0)));
        List<ProviderSocket> members = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            ProviderSocket s = provider.socket(provider.protocols().get(0),
                    WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF, (bit, code) -> { });
            ((MultipointSocket) s).join(new ConnectRequest(group, null, 0, null, JL_RECEIVER_ONLY, null),
                    new ConnectCompletion() {
                        @Override
                        public void connected(byte[] calleeData) {
                        }

                        @Override
                        public void failed(int code, String message) {
                            throw new IllegalStateException(message);
                        }
                    });
            members.add(s);
        }
        try (DatagramChannel attacker = DatagramChannel.open(StandardProtocolFamily.INET)) {
            attacker.setOption(StandardSocketOptions.IP_MULTICAST_IF, NetworkInterface.getByName("lo"));
            attacker.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 0);
            ByteBuffer largest = ByteBuffer.allocate(65507);
            for (int i = 0; i < DATAGRAMS; i++) {
                attacker.send(largest.clear(), group.toInetSocketAddress());
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            System.gc();
            long heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            ProviderSocket first = members.get(0);
            while (first.available() > 0) {
                first.receive(ByteBuffer.allocate(65535), null, false);
            }
            attacker.send(ByteBuffer.wrap(new byte[] {42}), group.toInetSocketAddress());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (first.available() == 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            boolean survived = provider.isLoopAlive() && first.available() == 1;
            System.out.println("FIGURES maxHeap=" + Runtime.getRuntime().maxMemory() + " limits="
                    + provider.receiveLimits() + " queuedBytes=" + provider.queuedBytes() + " dropped(SOCKET_QUEUE_FULL)="
                    + provider.droppedDatagrams(DropReason.SOCKET_QUEUE_FULL) + " dropped(PROVIDER_BUDGET_FULL)="
                    + provider.droppedDatagrams(DropReason.PROVIDER_BUDGET_FULL) + " dropped(FAILURE)="
                    + provider.droppedDatagrams(DropReason.FAILURE) + " heapUsedAfterGC=" + heapUsed
                    + " survivedAndDelivers=" + survived);
            provider.deactivate();
            System.exit(survived ? 0 : 1);
        }
    }
}
