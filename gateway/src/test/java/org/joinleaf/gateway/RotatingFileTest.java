package org.joinleaf.gateway;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.After;
import org.junit.Test;

/** Issue 15 item 5: the log file rotates at its size and keeps its count of files, oldest deleted. */
public class RotatingFileTest {
    private final Path dir;

    public RotatingFileTest() throws Exception {
        dir = Files.createTempDirectory("joinleaf-rotating-test");
    }

    @After
    public void cleanUp() throws Exception {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    public void rotatesBeforeALineWouldPassTheSizeAndKeepsCountFiles() throws Exception {
        Path log = dir.resolve("gateway.log");
        String line = "x".repeat(99); // 100 bytes with the line end on Linux
        try (RotatingFile f = new RotatingFile(log, 250, 3)) {
            for (int i = 0; i < 9; i++) {
                f.println(line + i);
            }
        }
        // 9 lines of 101 bytes, two per file: lines 0-1, 2-3, 4-5, 6-7, 8; only the newest three files remain
        assertEquals(List.of(line + 8), Files.readAllLines(log));
        assertEquals(List.of(line + 6, line + 7), Files.readAllLines(dir.resolve("gateway.log.1")));
        assertEquals(List.of(line + 4, line + 5), Files.readAllLines(dir.resolve("gateway.log.2")));
        assertFalse("the oldest beyond the count is deleted", Files.exists(dir.resolve("gateway.log.3")));
        for (Path p : List.of(log, dir.resolve("gateway.log.1"), dir.resolve("gateway.log.2"))) {
            assertTrue(p + " passed its size", Files.size(p) <= 250);
        }
    }

    @Test
    public void appendsAfterARestartAndCountOneKeepsOneFile() throws Exception {
        Path log = dir.resolve("sub/gateway.log");
        try (RotatingFile f = new RotatingFile(log, 4096, 1)) {
            f.println("before the restart");
        }
        try (RotatingFile f = new RotatingFile(log, 40, 1)) {
            f.println("after the restart");
            f.println("rotated away the rest");
        }
        assertEquals(List.of("rotated away the rest"), Files.readAllLines(log));
        assertFalse(Files.exists(dir.resolve("sub/gateway.log.1")));
    }
}
