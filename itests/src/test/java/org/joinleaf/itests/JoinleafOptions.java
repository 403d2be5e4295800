package org.joinleaf.itests;

import static org.ops4j.pax.exam.CoreOptions.bootDelegationPackages;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.when;

import org.joinleaf.itests.blockhound.BlockingCalls;
import org.ops4j.pax.exam.Option;

/** What every joinleaf Pax Exam test provisions: Felix SCR and its DS API, the API and runtime bundles. */
final class JoinleafOptions {
    private JoinleafOptions() {
    }

    /** The file URL of one of the project's bundles, as built by the reactor. */
    static String projectBundle(String module) {
        String url = System.getProperty("joinleaf.bundle." + module);
        if (url == null) {
            throw new IllegalStateException("system property joinleaf.bundle." + module
                    + " is not set; run the itests through Maven (failsafe sets it)");
        }
        return url;
    }

    /** provider.tcp with its QoS: the per-module Netty bundles and provider.qos. */
    static Option netty() {
        return composite(bundle(projectBundle("provider.qos")), nettyOnly());
    }

    /** All that provider.tcp needs besides base(): the per-module Netty bundles (never netty-all), no provider.qos. */
    static Option nettyOnly() {
        return composite(
                mavenBundle("io.netty", "netty-common").versionAsInProject(),
                mavenBundle("io.netty", "netty-buffer").versionAsInProject(),
                mavenBundle("io.netty", "netty-resolver").versionAsInProject(),
                mavenBundle("io.netty", "netty-transport").versionAsInProject(),
                mavenBundle("io.netty", "netty-transport-native-unix-common").versionAsInProject(),
                mavenBundle("io.netty", "netty-codec-base").versionAsInProject(),
                mavenBundle("io.netty", "netty-handler").versionAsInProject());
    }

    static Option base() {
        return composite(
                systemProperty("pax.exam.osgi.unresolved.fail").value("true"),
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                mavenBundle("org.osgi", "org.osgi.util.function").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.util.promise").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.service.component").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.scr").versionAsInProject(),
                bundle(projectBundle("provider.api")),
                bundle(projectBundle("provider.impl")),
                junitBundles(),
                when(BlockingCalls.isInstalled()).useOptions(blockHound()));
    }

    /**
     * Under BlockHound, bundles must see the JVM's one copy of its runtime (instrumented Netty methods call it) and
     * of the findings record, so both packages are boot-delegated to the class loader that loaded the framework.
     */
    private static Option blockHound() {
        return composite(
                bootDelegationPackages("reactor.blockhound", "reactor.blockhound.*", "org.joinleaf.itests.blockhound"),
                frameworkProperty("org.osgi.framework.bundle.parent").value("framework"));
    }
}
