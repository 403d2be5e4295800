package org.joinleaf.gateway;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.Test;

/**
 * Issue 6 item 3 / item 7: {@code gateway/demo.sh} run as a person runs it; its exit code and its output (the Winsock
 * events as they happen, the codes by name, the summary) are asserted.
 */
public class DemoIT {
    private static final long WAIT_SECONDS = 150;

    @Test
    public void demo_defaultRefusal_tcpAtRunTime_rootAndThreeLeaves_netDownOnStop_exitsZero() throws Exception {
        Path script = Paths.get(System.getProperty("joinleaf.gateway.demo", "demo.sh")).toAbsolutePath();
        Path out = Files.createTempFile("joinleaf-demo-it", ".txt");
        try {
            Process demo = new ProcessBuilder(script.toString()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            boolean ended = demo.waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
            if (!ended) {
                demo.toHandle().destroy();
                demo.waitFor(10, TimeUnit.SECONDS);
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            System.out.println(text);
            assertTrue("demo.sh did not end within " + WAIT_SECONDS + " s", ended);
            assertEquals("demo.sh exit code; output:\n" + text, 0, demo.exitValue());

            List<String> lines = text.lines().toList();
            // step 1: the CE default provider refuses the join
            assertLine(lines, "demo +WSAJoinLeaf \\(UDP c_leaf\\) +WSASYSCALLFAILURE \\(10107\\)");
            // step 2: provider.tcp installed and started at run time
            assertLine(lines, "demo +installed and started +bundle \\d+ +org.joinleaf.provider.tcp");
            // step 3: four applications, each in its own bundle; joins with caller data out, callee data back
            for (String role : new String[] {"root", "leaf1", "leaf2", "leaf3"}) {
                assertLine(lines, role + " +WSAStartup +NO_ERROR \\(0\\) +in bundle org.joinleaf.demo." + role);
            }
            assertLine(lines, "root +FD_ACCEPT +NO_ERROR \\(0\\)");
            assertLine(lines, "root +WSAAccept -> CF_ACCEPT .*caller data \"hello from leaf2\"");
            assertLine(lines, "leaf3 +FD_CONNECT +NO_ERROR \\(0\\) .*callee data \"welcome leaf3\"");
            // step 4: data both ways
            assertLine(lines, "leaf1 +recv +18 bytes +\"root to all leaves\"");
            assertLine(lines, "root +recv +13 bytes +\"leaf3 to root\"");
            // issue 6 item 6: the provider's counters over JMX (3 joins; 18 B to each leaf, 13 B from each)
            assertLine(lines, "demo +JMX tcp\\+qos +3 joins +3 accepted, 0 refused; out 4 msg/57 B, in 6 msg/93 B");
            // step 5: every socket closed with WSAENETDOWN
            assertLine(lines, "leaf2 +FD_CLOSE +WSAENETDOWN \\(10050\\)");
            assertLine(lines, "root +FD_CLOSE +WSAENETDOWN \\(10050\\) +link to leaf1 closed");
            assertLine(lines, "ok +FD_CLOSE with WSAENETDOWN on every joined socket +7 sockets");
            assertLine(lines, "^demo passed in \\d+\\.\\d{3}s$");
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static void assertLine(List<String> lines, String regex) {
        Pattern p = Pattern.compile(regex);
        assertTrue("no line matching /" + regex + "/ in the demo's output",
                lines.stream().anyMatch(l -> p.matcher(l).find()));
    }
}
