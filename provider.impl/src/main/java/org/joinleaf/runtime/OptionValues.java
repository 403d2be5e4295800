package org.joinleaf.runtime;

import java.util.HashMap;
import java.util.Map;

/** The values {@code setsockopt} accepted on one socket, by option; what {@code getsockopt} answers. */
final class OptionValues {
    private final Map<SocketOption, Object> values = new HashMap<>();

    synchronized Object get(SocketOption option) {
        return values.getOrDefault(option, option.defaultValue);
    }

    synchronized void put(SocketOption option, Object value) {
        values.put(option, value);
    }

    synchronized boolean isOn(SocketOption option) {
        return Boolean.TRUE.equals(get(option));
    }

    /** The timeout in milliseconds of SO_RCVTIMEO or SO_SNDTIMEO; 0 waits forever. */
    synchronized int millis(SocketOption option) {
        return (Integer) get(option);
    }
}
