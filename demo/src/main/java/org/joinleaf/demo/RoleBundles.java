package org.joinleaf.demo;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * The bundles the demo's roles live in. The runtime gives every bundle its own {@code Winsock} instance (its own
 * "process": socket table, events, WSAStartup count), so the root and each leaf are separate bundles, installed
 * from jars made here: a manifest that imports {@code org.joinleaf.api}, nothing else. The demo drives each role
 * through that bundle's own context, the way four separate applications would use their own Winsock.
 */
final class RoleBundles {
    static final String LOCATION_PREFIX = "joinleaf-demo:";
    static final String SYMBOLIC_NAME_PREFIX = "org.joinleaf.demo.";

    private RoleBundles() {
    }

    /** Installs (or finds, when a previous run left it) and starts the bundle of a role. */
    static Bundle install(BundleContext context, String role) throws BundleException {
        String location = LOCATION_PREFIX + role;
        Bundle bundle = context.getBundle(location);
        if (bundle == null) {
            bundle = context.installBundle(location, new ByteArrayInputStream(jar(role)));
        }
        bundle.start();
        return bundle;
    }

    /** A jar holding only the manifest of the role's bundle. */
    static byte[] jar(String role) {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", SYMBOLIC_NAME_PREFIX + role);
        main.putValue("Bundle-Version", "0.1.0");
        main.putValue("Bundle-Name", "joinleaf demo " + role + " (a Winsock application of its own)");
        main.putValue("Import-Package", "org.joinleaf.api");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            jar.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the jar of demo role " + role, e);
        }
        return bytes.toByteArray();
    }
}
