package org.joinleaf.gateway;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A log file that never grows past {@code maxBytes}: before a line would pass it, {@code gateway.log} becomes
 * {@code gateway.log.1}, {@code .1} becomes {@code .2} and so on, the oldest beyond {@code count - 1} is deleted,
 * and a fresh file starts (the names logrotate uses). Appends to an existing file after a restart. Not thread-safe:
 * the log route calls it under its own lock.
 */
final class RotatingFile implements AutoCloseable {
    private final Path path;
    private final long maxBytes;
    private final int count;
    private Writer out;
    private long size;

    /**
     * @param maxBytes the most one file holds (a single longer line still gets a file of its own)
     * @param count    how many files are kept, the current one included ({@code >= 1})
     */
    RotatingFile(Path path, long maxBytes, int count) throws IOException {
        this.path = path.toAbsolutePath();
        this.maxBytes = maxBytes;
        this.count = Math.max(1, count);
        Path dir = this.path.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        open();
    }

    Path path() {
        return path;
    }

    /** Writes {@code text} and a line end, rotating first when the file would pass its size. */
    void println(String text) throws IOException {
        byte[] bytes = (text + System.lineSeparator()).getBytes(StandardCharsets.UTF_8);
        if (size > 0 && size + bytes.length > maxBytes) {
            rotate();
        }
        out.write(text);
        out.write(System.lineSeparator());
        out.flush(); // a crash loses no line the route accepted
        size += bytes.length;
    }

    private void open() throws IOException {
        out = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        size = Files.size(path);
    }

    private void rotate() throws IOException {
        out.close();
        if (count == 1) {
            Files.delete(path);
        } else {
            Files.deleteIfExists(numbered(count - 1));
            for (int i = count - 2; i >= 1; i--) {
                if (Files.exists(numbered(i))) {
                    Files.move(numbered(i), numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(path, numbered(1), StandardCopyOption.REPLACE_EXISTING);
        }
        open();
    }

    private Path numbered(int i) {
        return path.resolveSibling(path.getFileName() + "." + i);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
