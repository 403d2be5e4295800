package org.joinleaf.spi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.Test;

/** Issue 15 item 4: secrets come from the environment or a secrets folder, and errors never show a value. */
public class SecretsTest {
    private static final Map<String, String> ENV = Map.of("KS_PASS", "from-the-environment");

    @Test
    public void plainValuesStayAndReferencesResolve() throws Exception {
        Path dir = Files.createTempDirectory("joinleaf-secrets");
        try {
            Files.writeString(dir.resolve("tcp-keystore"), "from-a-file\n");
            assertEquals("changeit", Secrets.resolve("changeit", ENV, dir));
            assertEquals("", Secrets.resolve("", ENV, dir));
            assertEquals(null, Secrets.resolve(null, ENV, dir));
            assertEquals("from-the-environment", Secrets.resolve("$[env:KS_PASS]", ENV, dir));
            assertEquals("the trailing line end goes", "from-a-file", Secrets.resolve(" $[secret:tcp-keystore] ", ENV,
                    dir));
            assertEquals("only a whole value is a reference", "x$[env:KS_PASS]", Secrets.resolve("x$[env:KS_PASS]",
                    ENV, dir));
        } finally {
            Files.deleteIfExists(dir.resolve("tcp-keystore"));
            Files.delete(dir);
        }
    }

    @Test
    public void aMissingSecretFailsNamingTheReferenceOnly() throws Exception {
        Path dir = Files.createTempDirectory("joinleaf-secrets");
        try {
            assertFails("$[env:NOT_SET]", "the environment variable NOT_SET is not set", dir);
            assertFails("$[secret:absent]", "cannot read the secret file", dir);
            assertFails("$[secret:..hidden]", "cannot start with '.'", dir);
            assertFails("$[secret:../etc/passwd]", "not $[env:NAME] or $[secret:NAME]", dir);
        } finally {
            Files.delete(dir);
        }
    }

    private static void assertFails(String reference, String why, Path dir) {
        try {
            Secrets.resolve(reference, ENV, dir);
            fail(reference + " resolved");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith(reference + ": "));
            assertTrue(e.getMessage(), e.getMessage().contains(why));
            assertFalse(e.getMessage().contains("from-the-environment"));
        }
    }
}
