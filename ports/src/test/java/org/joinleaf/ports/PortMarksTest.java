package org.joinleaf.ports;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Test;

/**
 * Issue 13 deliverable 3, "each changed line marked, and a table of what changed and why": every {@code // PORT:}
 * mark in the ported programs gives a reason of a kind that ports/README.md's table explains, and every kind the
 * test knows is in that table. A mark with a new kind of reason fails here until the table (and this list) has it.
 */
public class PortMarksTest {
    private static final Path SOURCES = Path.of("src/main/java/org/joinleaf/ports");
    private static final List<String> PORTED = List.of("mcastws2/Mcastws2.java", "mcastws2/Resolve.java",
            "mcastatm/Mcastatm.java", "mcastatm/Support.java");
    private static final Pattern MARK = Pattern.compile("// PORT: (.*)$");

    /** README row (a text the row contains) -> what a mark's reason of that kind looks like. */
    private static final Map<String, Pattern> KINDS = Map.ofEntries(
            Map.entry("A C program is a class", Pattern.compile(
                    "C program is a class|\\.cpp linked in|main is the program's entry|int __cdecl main")),
            Map.entry("No globals: the Winsock service and stdio are handed in",
                    Pattern.compile("^no globals|^as above$")),
            Map.entry("`#define` is a constant", Pattern.compile(
                    "#define|BOOL is boolean|DWORD is int|UCHAR is int|char \\* is String|char \\*\\* is String"
                            + "|char \\[.*\\] is String|SOCKET \\[\\] is an array|char \\[\\] (text )?buffer"
                            + "|char\\[\\] out buffers|char \\* (out )?buffer|char \\* to the value")),
            Map.entry("`sprintf`/`strcmp`/`strncpy`/`strlen`", Pattern.compile(
                    "sprintf|strcmp|strncpy|strlen|addrbuf\\[0\\]|the bytes as text|recvbuf\\[dwBytesRead\\]"
                            + "|memset\\(szPort|memset\\(szLeafAddresses")),
            Map.entry("`->` is `.`", Pattern.compile(
                    "-> is \\.|is the object|is a new structure|NULL is null|is a (SOCKADDR )?reference|\\(SOCKADDR \\*\\)& dropped"
                            + "|a structure is an object|a pointer is not a boolean|is the reference|memcpy")),
            Map.entry("Out and in/out parameters", Pattern.compile(
                    "out parameter|in/out parameter|one-element array|is an int\\[1\\]|are the arrays|is the array"
                            + "|the out array|sizeof\\(|a pointer to a buffer of structures")),
            Map.entry("Pointer walks", Pattern.compile(
                    "is the array and (that )?offset|is an array and an offset|\\*p\\+\\+|the pointer szSource\\+\\+"
                            + "|argv\\[i\\]\\[[01]\\] is charAt|\\(UCHAR\\) -1|UCHAR Addr")),
            Map.entry("`HeapAlloc`/`GlobalAlloc` are `new`", Pattern.compile(
                    "HeapAlloc|HeapFree|GlobalAlloc|GlobalFree|GetLastError|__FILE__")),
            Map.entry("`INVALID_SOCKET` is `SOCKET.INVALID_SOCKET`", Pattern.compile("INVALID_SOCKET is SOCKET")),
            Map.entry("Java wants the locals definitely assigned", Pattern.compile(
                    "definitely assigned|an int is not a boolean|adjacent literals")),
            Map.entry("**ATM mapped to IP**", Pattern.compile("ATM mapped to IP")),
            Map.entry("`struct is a class`", Pattern.compile(
                    "struct is a class|struct member|ws2atm\\.h|headers are members")),
            Map.entry("`addition`", Pattern.compile("^addition")));

    @Test
    public void everyMarkGivesAReasonTheReadmeTableExplains() throws IOException {
        List<String> unexplained = new ArrayList<>();
        int marks = 0;
        for (String file : PORTED) {
            List<String> lines = Files.readAllLines(SOURCES.resolve(file), StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = MARK.matcher(lines.get(i));
                if (!m.find() || m.group(1).startsWith("<why>")) {
                    continue; // the header comment names the convention
                }
                marks++;
                String reason = m.group(1);
                if (KINDS.values().stream().noneMatch(p -> p.matcher(reason).find())) {
                    unexplained.add(file + ":" + (i + 1) + ": " + reason);
                }
            }
        }
        assertTrue("no PORT marks found: wrong working directory?", marks > 200);
        assertEquals("marks whose reason the README table does not explain", List.of(), unexplained);
    }

    @Test
    public void everyKindIsARowOfTheReadmeTable() throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        List<String> missing = new ArrayList<>();
        for (String row : KINDS.keySet()) {
            if (!readme.contains(row)) {
                missing.add(row);
            }
        }
        assertEquals("kinds missing from ports/README.md's table", List.of(), missing);
    }
}
