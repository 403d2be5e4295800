package org.joinleaf.spi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secrets kept out of configuration files (issue 15 item 4): a setting whose whole value is {@code $[env:NAME]} or
 * {@code $[secret:NAME]} stands for the environment variable {@code NAME} or the content of the file {@code NAME} in
 * the secrets folder (trailing line ends removed). The folder is the framework or system property
 * {@value #DIRECTORY_PROPERTY}, else systemd's {@code CREDENTIALS_DIRECTORY} ({@code LoadCredential=}), else
 * {@code secrets/} in the working directory.
 *
 * <p>A provider resolves a secret where it uses it, never in its configuration: the component properties (which
 * {@code scr:info} prints) keep the reference, so the value is in no file, log line or shell output of the gateway.
 * Errors name the reference and never the value.
 */
public final class Secrets {
    /** The property naming the secrets folder. */
    public static final String DIRECTORY_PROPERTY = "joinleaf.secrets.dir";
    private static final Pattern REFERENCE = Pattern.compile("\\$\\[(env|secret):([A-Za-z0-9_.\\-]+)]");

    private Secrets() {
    }

    /**
     * {@code value}, or the secret it refers to.
     *
     * @throws IllegalArgumentException when the variable is not set or the file cannot be read (naming which)
     */
    public static String resolve(String value) {
        String dir = System.getProperty(DIRECTORY_PROPERTY);
        if (dir == null || dir.isBlank()) {
            dir = System.getenv().getOrDefault("CREDENTIALS_DIRECTORY", "secrets");
        }
        return resolve(value, System.getenv(), Path.of(dir));
    }

    /** {@link #resolve(String)} against the given environment and secrets folder. */
    public static String resolve(String value, Map<String, String> environment, Path directory) {
        String v0 = value == null ? "" : value.trim();
        Matcher m = REFERENCE.matcher(v0);
        if (!m.matches()) {
            if (v0.startsWith("$[") && v0.endsWith("]")) {
                throw new IllegalArgumentException(v0 + ": not $[env:NAME] or $[secret:NAME] (NAME: letters, digits,"
                        + " '_', '-', '.')");
            }
            return value;
        }
        String name = m.group(2);
        if (m.group(1).equals("env")) {
            String v = environment.get(name);
            if (v == null) {
                throw new IllegalArgumentException(value.trim() + ": the environment variable " + name
                        + " is not set");
            }
            return v;
        }
        if (name.startsWith(".")) { // no "..", no hidden files: the name stays inside the folder
            throw new IllegalArgumentException(value.trim() + ": a secret's name cannot start with '.'");
        }
        Path file = directory.resolve(name);
        try {
            return Files.readString(file, StandardCharsets.UTF_8).replaceAll("[\\r\\n]+$", "");
        } catch (IOException e) {
            throw new IllegalArgumentException(value.trim() + ": cannot read the secret file " + file.toAbsolutePath()
                    + " (" + e.getClass().getSimpleName() + "; folder: property " + DIRECTORY_PROPERTY
                    + ", CREDENTIALS_DIRECTORY or secrets/)");
        }
    }
}
