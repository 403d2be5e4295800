package org.joinleaf.local;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.joinleaf.api.SOCKADDR;

/** Subscriptions of non-rooted sockets to groups (group address and port), as IP_ADD_MEMBERSHIP would make. */
final class MulticastGroups {
    private final Map<SOCKADDR, Set<MulticastSocket>> subscribers = new HashMap<>();

    synchronized void subscribe(SOCKADDR group, MulticastSocket s) {
        subscribers.computeIfAbsent(Addresses.key(group), g -> new LinkedHashSet<>()).add(s);
    }

    synchronized void unsubscribe(SOCKADDR group, MulticastSocket s) {
        SOCKADDR key = Addresses.key(group);
        Set<MulticastSocket> members = subscribers.get(key);
        if (members != null && members.remove(s) && members.isEmpty()) {
            subscribers.remove(key);
        }
    }

    /** A snapshot, to deliver to without holding this lock. */
    synchronized List<MulticastSocket> subscribers(SOCKADDR group) {
        Set<MulticastSocket> members = subscribers.get(Addresses.key(group));
        return members == null ? List.of() : List.copyOf(members);
    }
}
