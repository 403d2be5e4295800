package org.joinleaf.spi;

import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * What a provider may show operators beyond the runtime's own counters (issue 15 item 4): how often each of its
 * limits refused or cut something, what it dropped and why, what peers made it log, how full its byte budgets are
 * and whether its I/O threads run. Optional: a {@link TransportProvider} service object that also implements this
 * interface is read by the runtime's JMX view and health check; one that does not shows the runtime's counters only.
 *
 * <p>Counts are since the provider object started; the runtime adds them up across restarts of a provider of the same
 * {@link TransportProvider#PROVIDER_NAME}. Keys are stable names an operator can look up (the limit's setting or an
 * enum constant), never built from peer data, so every map stays bounded. Every method is called from management
 * threads at any time, also while the provider stops: it must be cheap, lock-free or nearly, and never throw.
 */
@ConsumerType
public interface ProviderStatus {

    /** One byte budget now: what is held and the most it may hold. */
    record Budget(long usedBytes, long totalBytes) {
    }

    /** Per limit, how often it refused or cut something ({@code JOIN_RATE -> 3}). */
    default Map<String, Long> refusals() {
        return Map.of();
    }

    /** Per reason, how many received messages were dropped ({@code SOCKET_QUEUE_FULL -> 12}). */
    default Map<String, Long> drops() {
        return Map.of();
    }

    /** Per kind, what peers made happen that is neither a refusal nor a drop ({@code TLS_FAILURE -> 1}). */
    default Map<String, Long> peerEvents() {
        return Map.of();
    }

    /** Byte budgets by the setting that sizes them ({@code maxQueuedBytes}). */
    default Map<String, Budget> budgets() {
        return Map.of();
    }

    /** One line per I/O thread (event loop) that should run and does not; empty when all run or there are none. */
    default List<String> stoppedIoThreads() {
        return List.of();
    }
}
