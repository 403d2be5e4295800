package org.joinleaf.runtime.jmx;

import java.util.Date;
import java.util.List;

/**
 * JMX view of one transport provider by name, {@code org.joinleaf:type=Provider,name=<joinleaf.provider.name>}: the
 * runtime's counters summed over every socket it had, and what the provider itself counts (its limits, drops, peer
 * events, budgets, I/O threads; {@link org.joinleaf.spi.ProviderStatus}). The name and the counts outlive a restart
 * of the provider (a configuration change, a bundle update): they run from {@link #getCountingSince()}.
 */
public interface ProviderMXBean {
    String getName();

    /** True while a provider of this name is in the catalog. */
    boolean isPresent();

    /** When the runtime first saw a provider of this name: every count runs from here. */
    Date getCountingSince();

    /** When the provider now present started, or null when none is. */
    Date getStartedAt();

    /** How many times a provider of this name joined the catalog (1 + restarts). */
    int getStarts();

    long getJoinsAttempted();

    long getJoinsAccepted();

    long getJoinsRefused();

    long getBytesIn();

    long getBytesOut();

    long getMessagesIn();

    long getMessagesOut();

    /** Members the provider aborted ({@code FD_CLOSE} with {@code WSAECONNABORTED}). */
    long getEvictions();

    /** Failed calls and refused joins per Winsock error name ({@code WSAECONNREFUSED}). */
    List<Count> getErrors();

    /** Per limit of the provider, how often it refused or cut something. */
    List<Count> getRefusals();

    /** Per reason, received messages the provider dropped. */
    List<Count> getDrops();

    /** Per kind, what peers made the provider do that is neither a refusal nor a drop. */
    List<Count> getPeerEvents();

    /** The provider's byte budgets now. */
    List<BudgetUse> getBudgets();

    /** I/O threads of the present provider that should run and do not. */
    List<String> getStoppedIoThreads();
}
