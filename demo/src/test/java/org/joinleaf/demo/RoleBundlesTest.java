package org.joinleaf.demo;

import static org.junit.Assert.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.jar.Attributes;
import java.util.jar.JarInputStream;
import org.junit.Test;

/** Issue 6 item 3: each demo role is a bundle of its own that uses the Winsock API (so it gets its own Winsock). */
public class RoleBundlesTest {
    @Test
    public void roleJar_isAManifestOnlyBundleImportingTheApi() throws IOException {
        try (JarInputStream jar = new JarInputStream(new ByteArrayInputStream(RoleBundles.jar("leaf2")))) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertEquals("org.joinleaf.demo.leaf2", main.getValue("Bundle-SymbolicName"));
            assertEquals("2", main.getValue("Bundle-ManifestVersion"));
            assertEquals("org.joinleaf.api", main.getValue("Import-Package"));
            assertEquals("no classes: the demo drives the role through the bundle's context", null, jar.getNextJarEntry());
        }
    }
}
