package org.joinleaf.multicast;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.joinleaf.api.SOCKADDR;
import org.junit.Test;

/**
 * Issue 11, envelope E5 (multicast 64 KiB flood), in the envelope the gateway ships with: {@link FloodPeer} runs in a JVM
 * with {@code gateway/run.sh}'s {@code -Xmx32m -XX:MaxDirectMemorySize=32m} and the provider's derived defaults. The
 * I/O thread used to die of {@code OutOfMemoryError}; now it survives, holds at most the derived total, and the heap
 * stays under 90 % of its limit.
 */
public class SmallHeapFloodTest {
    private static final long CHILD_TIMEOUT_SECONDS = 60;

    @Test
    public void issue11_multicastFloodOf64KiBDatagramsInAGatewaySizedJvm() throws Exception {
        Loopback.assumeIpv4();
        SOCKADDR group = Loopback.group4();
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process child = new ProcessBuilder(List.of(java, "-Xmx32m", "-XX:MaxDirectMemorySize=32m", "-cp",
                System.getProperty("java.class.path"), FloodPeer.class.getName(), group.toInetSocketAddress()
                .getAddress().getHostAddress(), String.valueOf(group.port))).redirectErrorStream(true).start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread pump = new Thread(() -> {
            try {
                child.getInputStream().transferTo(output);
            } catch (java.io.IOException e) {
                // The child ended.
            }
        });
        pump.start();
        boolean ended = child.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!ended) {
            child.destroyForcibly();
        }
        pump.join(TimeUnit.SECONDS.toMillis(5));
        String out = output.toString(StandardCharsets.UTF_8);
        assertTrue("the flood did not finish within " + CHILD_TIMEOUT_SECONDS + " s:\n" + out, ended);
        assertEquals("the I/O thread must survive and deliver after the flood:\n" + out, 0, child.exitValue());
        Matcher m = Pattern.compile("maxHeap=(\\d+).*totalBytes=(\\d+).*queuedBytes=(\\d+).*heapUsedAfterGC=(\\d+)")
                .matcher(out);
        assertTrue(out, m.find());
        long maxHeap = Long.parseLong(m.group(1));
        assertTrue(out, Long.parseLong(m.group(3)) <= Long.parseLong(m.group(2)));
        assertTrue("heap under 90 % of its limit:\n" + out, Long.parseLong(m.group(4)) < maxHeap * 9 / 10);
        System.out.println("issue 11 multicast flood, -Xmx32m: " + out.lines().filter(l -> l.startsWith("FIGURES"))
                .findFirst().orElse(out));
    }
}
