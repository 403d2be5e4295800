package org.joinleaf.runtime.shell;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.joinleaf.api.Winsock2;
import org.joinleaf.runtime.HandleText;
import org.joinleaf.runtime.dto.CatalogEntryDTO;
import org.joinleaf.runtime.dto.CountersDTO;
import org.joinleaf.runtime.dto.ProviderDTO;
import org.joinleaf.runtime.dto.SocketDTO;

/** Renders the runtime's DTOs as aligned text tables for the shell. */
final class Tables {
    /** Every single-bit {@code XP1_*} constant of {@link Winsock2}, by bit value, so no name is forgotten. */
    private static final Map<Integer, String> XP1_NAMES = xp1Names();

    private Tables() {
    }

    /** {@code pinned}: the provider new sockets try first, or empty. */
    static String providers(List<ProviderDTO> providers, String pinned) {
        if (providers.isEmpty()) {
            return "no transport provider registered";
        }
        StringBuilder out = new StringBuilder();
        for (ProviderDTO p : providers) {
            out.append("provider '").append(p.name).append("'  ranking ").append(p.ranking)
                    .append("  service.id ").append(p.serviceId).append(p.name.equals(pinned) ? "  PINNED" : "")
                    .append('\n');
            CountersDTO c = p.counters;
            out.append("  joins ").append(c.joinsAttempted).append(" attempted, ").append(c.joinsAccepted)
                    .append(" accepted, ").append(c.joinsRefused).append(" refused;  in ").append(traffic(c.messagesIn, c.bytesIn))
                    .append(";  out ").append(traffic(c.messagesOut, c.bytesOut)).append(";  evictions ").append(c.evictions)
                    .append(";  errors ").append(errors(c)).append('\n');
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"  id", "protocol", "af", "type", "proto", "XP1 flags"});
            for (CatalogEntryDTO e : p.entries) {
                rows.add(new String[] {"  " + e.catalogEntryId, e.protocol, Names.family(e.addressFamily),
                        Names.type(e.socketType), String.valueOf(e.protocolNumber), xp1(e.serviceFlags1)});
            }
            out.append(align(rows));
        }
        return out.toString().stripTrailing();
    }

    static String sockets(List<SocketDTO> sockets) {
        if (sockets.isEmpty()) {
            return "no open sockets";
        }
        Map<String, List<SocketDTO>> byProcess = new LinkedHashMap<>();
        sockets.forEach(s -> byProcess.computeIfAbsent(s.process, k -> new ArrayList<>()).add(s));
        StringBuilder out = new StringBuilder();
        byProcess.forEach((process, list) -> {
            out.append("process ").append(process).append('\n');
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"  socket", "kind", "state", "provider", "peer", "in", "out", "errors"});
            for (SocketDTO s : list) {
                rows.add(new String[] {"  " + HandleText.of(s.handle), s.kind, s.state, s.provider,
                        s.peer.isEmpty() ? "-" : s.peer,
                        traffic(s.counters.messagesIn, s.counters.bytesIn),
                        traffic(s.counters.messagesOut, s.counters.bytesOut), errors(s.counters)});
            }
            out.append(align(rows));
        });
        return out.toString().stripTrailing();
    }

    /** A c_root and the c_leafs of its session (the ones it accepted or invited). */
    static String session(SocketDTO root, List<SocketDTO> leaves) {
        StringBuilder out = new StringBuilder();
        out.append("session of ").append(root.kind).append(' ').append(HandleText.of(root.handle)).append("  (")
                .append(root.process)
                .append(", provider '").append(root.provider).append("', ").append(root.state).append(")\n");
        if (leaves.isEmpty()) {
            return out.append("  no leaves").toString();
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"  leaf", "state", "peer", "in", "out", "evictions", "errors"});
        for (SocketDTO s : leaves) {
            rows.add(new String[] {"  " + HandleText.of(s.handle), s.state, s.peer.isEmpty() ? "-" : s.peer,
                    traffic(s.counters.messagesIn, s.counters.bytesIn),
                    traffic(s.counters.messagesOut, s.counters.bytesOut), String.valueOf(s.counters.evictions),
                    errors(s.counters)});
        }
        return out.append(align(rows)).toString().stripTrailing();
    }

    /** {@code 3 msg/39 B}. */
    static String traffic(long messages, long bytes) {
        return messages + " msg/" + bytes + " B";
    }

    /** {@code WSAENETDOWN=1,WSAECONNREFUSED=2}, or {@code -}. */
    static String errors(CountersDTO c) {
        StringJoiner out = new StringJoiner(",");
        c.errors.forEach((name, n) -> out.add(name + "=" + n));
        return out.length() == 0 ? "-" : out.toString();
    }

    /** {@code XP1_CONNECT_DATA|XP1_SUPPORT_MULTIPOINT}; bits without a name show in hex. */
    static String xp1(int flags) {
        StringJoiner names = new StringJoiner("|");
        int rest = flags;
        for (Map.Entry<Integer, String> e : XP1_NAMES.entrySet()) {
            if ((flags & e.getKey()) != 0) {
                names.add(e.getValue());
                rest &= ~e.getKey();
            }
        }
        if (rest != 0) {
            names.add("0x" + Integer.toHexString(rest));
        }
        return names.length() == 0 ? "-" : names.toString();
    }

    private static String align(List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(String.format("%-" + width[i] + "s", r[i])).append(i < r.length - 1 ? "  " : "");
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static Map<Integer, String> xp1Names() {
        Map<Integer, String> names = new TreeMap<>();
        for (Field f : Winsock2.class.getFields()) {
            if (f.getName().startsWith("XP1_") && f.getType() == int.class && Modifier.isStatic(f.getModifiers())) {
                try {
                    int v = f.getInt(null);
                    if (Integer.bitCount(v) == 1) {
                        names.putIfAbsent(v, f.getName());
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("public constant " + f + " unreadable", e);
                }
            }
        }
        return names;
    }
}
