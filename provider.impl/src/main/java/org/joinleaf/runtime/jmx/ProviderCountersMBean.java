package org.joinleaf.runtime.jmx;

import java.util.Map;

/** JMX view of one transport provider's counters, summed over every socket it had. */
public interface ProviderCountersMBean {
    String getProviderName();

    long getJoinsAttempted();

    long getJoinsAccepted();

    long getJoinsRefused();

    long getBytesIn();

    long getBytesOut();

    long getMessagesIn();

    long getMessagesOut();

    /** Members the provider aborted ({@code FD_CLOSE} with {@code WSAECONNABORTED}). */
    long getEvictions();

    /** Winsock error name to count ({@code WSAECONNREFUSED -> 2}). */
    Map<String, Long> getErrors();
}
