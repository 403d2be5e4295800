package org.joinleaf.tcp.session;

import io.netty.channel.epoll.Epoll;
import java.util.function.Supplier;
import org.joinleaf.spi.config.ConfigCheck;

/**
 * The {@code transport} setting made real: which {@link IoTransport} a {@link TcpTransport} runs on. The epoll classes
 * are an optional import of this bundle, so whether they load at all is part of "available".
 */
public final class IoTransports {
    private static final System.Logger LOG = System.getLogger(IoTransports.class.getName());

    private IoTransports() {
    }

    /** Null when the native epoll transport loads here, else why not (for the log and the refusal). */
    public static String epollUnavailable() {
        try {
            if (Epoll.isAvailable()) {
                return null;
            }
            Throwable cause = Epoll.unavailabilityCause();
            return "the native epoll transport does not load here (" + cause + ")";
        } catch (LinkageError e) {
            return "the native epoll transport is not installed (io.netty.transport-classes-epoll and its "
                    + "netty-transport-native-epoll fragment: " + e + ")";
        }
    }

    /**
     * Refuses {@code transport=EPOLL} where {@code epollUnavailable} gives a reason (decision 32: a bad value is
     * refused, never replaced), so the component does not activate.
     */
    static void check(ConfigCheck check, TransportChoice choice, Supplier<String> epollUnavailable) {
        String why = choice == TransportChoice.EPOLL ? epollUnavailable.get() : null;
        check.require(why == null, "transport", "EPOLL needs the native epoll transport, but " + why
                + "; use AUTO (epoll where it loads, NIO elsewhere) or NIO");
    }

    /** The transport {@code choice} names: AUTO takes epoll where it loads, else NIO with one INFO line why. */
    static IoTransport of(TransportChoice choice) {
        return of(choice, IoTransports::epollUnavailable);
    }

    /** The same, with {@code epollUnavailable} telling whether epoll loads (tests). */
    static IoTransport of(TransportChoice choice, Supplier<String> epollUnavailable) {
        switch (choice) {
            case NIO:
                return NioTransport.INSTANCE;
            case EPOLL:
                return EpollTransport.INSTANCE; // TcpSettings.from refused EPOLL where it does not load
            default:
                String why = epollUnavailable.get();
                if (why == null) {
                    return EpollTransport.INSTANCE;
                }
                LOG.log(System.Logger.Level.INFO, "transport=AUTO: NIO, because " + why);
                return NioTransport.INSTANCE;
        }
    }
}
