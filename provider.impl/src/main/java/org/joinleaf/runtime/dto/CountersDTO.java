package org.joinleaf.runtime.dto;

import java.util.Map;

/** Join and traffic counters of a socket or a provider, with errors by Winsock name. */
public final class CountersDTO {
    public long joinsAttempted;
    public long joinsAccepted;
    public long joinsRefused;
    public long bytesIn;
    public long bytesOut;
    public long messagesIn;
    public long messagesOut;
    /** Members the provider aborted ({@code FD_CLOSE} with {@code WSAECONNABORTED}). */
    public long evictions;
    /** {@code WSAECONNREFUSED -> 2}: how often each Winsock error ended a call or a join. */
    public Map<String, Long> errors;
}
