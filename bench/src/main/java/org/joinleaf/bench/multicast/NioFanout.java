package org.joinleaf.bench.multicast;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;

/**
 * The plain NIO variant, set up like the provider does it: non-blocking {@link DatagramChannel}s with
 * {@code SO_REUSEADDR} bound to the group's port, {@code IP_MULTICAST_IF} {@code lo}, {@code IP_MULTICAST_TTL} 0;
 * receivers joined with a {@link java.nio.channels.MembershipKey} on {@code lo}. Each reader share has its own
 * {@link Selector}.
 */
final class NioFanout implements Fanout {
    private final List<DatagramChannel> channels = new ArrayList<>();
    private final List<Selector> selectors = new ArrayList<>();
    private final List<Reader> readers = new ArrayList<>();
    private DatagramChannel sender;
    private Selector sendRoom;
    private InetSocketAddress group;
    private ByteBuffer outgoing;

    private NioFanout() {
    }

    /** A sender and {@code receivers} receivers joined to {@code group} on {@code lo}; closed again on failure. */
    static NioFanout open(InetSocketAddress group, NetworkInterface lo, int receivers, int messageBytes)
            throws IOException {
        NioFanout f = new NioFanout();
        try {
            f.start(group, lo, receivers, messageBytes);
            return f;
        } catch (IOException | RuntimeException e) {
            f.close();
            throw e;
        }
    }

    private void start(InetSocketAddress group, NetworkInterface lo, int receivers, int messageBytes)
            throws IOException {
        this.group = group;
        this.outgoing = ByteBuffer.allocateDirect(messageBytes);
        sender = channel(lo);
        sendRoom = selector();
        sender.register(sendRoom, SelectionKey.OP_WRITE);
        List<DatagramChannel> receiving = new ArrayList<>();
        for (int i = 0; i < receivers; i++) {
            DatagramChannel c = channel(lo);
            c.bind(new InetSocketAddress(group.getPort()));
            c.join(group.getAddress(), lo);
            receiving.add(c);
        }
        for (List<DatagramChannel> share : ReaderShares.split(receiving)) {
            Selector s = selector();
            for (DatagramChannel c : share) {
                c.register(s, SelectionKey.OP_READ);
            }
            readers.add(new SelectorReader(s, messageBytes));
        }
    }

    private DatagramChannel channel(NetworkInterface lo) throws IOException {
        DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET);
        channels.add(c);
        c.configureBlocking(false);
        c.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        c.setOption(StandardSocketOptions.IP_MULTICAST_IF, lo);
        c.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 0);
        c.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
        return c;
    }

    private Selector selector() throws IOException {
        Selector s = Selector.open();
        selectors.add(s);
        return s;
    }

    @Override
    public boolean trySend(byte[] message) throws IOException {
        outgoing.clear();
        outgoing.put(message).flip();
        return sender.send(outgoing, group) > 0;
    }

    @Override
    public void awaitSendRoom(long millis) throws IOException {
        sendRoom.select(millis);
        sendRoom.selectedKeys().clear();
    }

    @Override
    public List<Reader> readers() {
        return readers;
    }

    @Override
    public String bufferingNote() {
        return "SO_RCVBUF=kernel default";
    }

    @Override
    public void close() {
        for (Selector s : selectors) {
            closeQuietly(s);
        }
        for (DatagramChannel c : channels) {
            closeQuietly(c); // drops the membership
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            System.err.println("closing " + c + ": " + e);
        }
    }

    /** One reader thread's share: a selector over its receivers, each drained until empty. */
    private static final class SelectorReader implements Reader {
        private final Selector selector;
        private final ByteBuffer buffer;

        SelectorReader(Selector selector, int messageBytes) {
            this.selector = selector;
            this.buffer = ByteBuffer.allocateDirect(messageBytes);
        }

        @Override
        public int readSome(long waitMillis) throws IOException {
            if (selector.select(waitMillis) == 0) {
                return 0;
            }
            int read = 0;
            for (SelectionKey key : selector.selectedKeys()) {
                read += drain((DatagramChannel) key.channel());
            }
            selector.selectedKeys().clear();
            return read;
        }

        private int drain(DatagramChannel c) throws IOException {
            int n = 0;
            while (n < ReaderShares.RECEIVES_PER_VISIT) {
                buffer.clear();
                if (c.receive(buffer) == null) {
                    break;
                }
                n++;
            }
            return n;
        }
    }
}
