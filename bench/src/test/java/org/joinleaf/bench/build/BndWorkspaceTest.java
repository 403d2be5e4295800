package org.joinleaf.bench.build;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import aQute.bnd.build.Container;
import aQute.bnd.build.Project;
import aQute.bnd.build.Workspace;
import aQute.bnd.repository.maven.provider.MavenBndRepository;
import aQute.bnd.service.RepositoryPlugin;
import java.io.File;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.Test;

/**
 * Issue 15 item 7, "a real bnd workspace": bndlib's {@link Workspace}, as Bndtools opens it, finds every joinleaf
 * project with Maven's source and output paths, a Bundle-SymbolicName free of Maven-only macros, and a -buildpath
 * that resolves from the workspace's Maven-backed repository at the versions the root pom pins; any error (or
 * unresolved macro) fails the test, listed.
 * Maven stays the command-line build: it reads the same bnd.bnd files through the top-level bnd.bnd.
 */
public class BndWorkspaceTest {
    private static final File ROOT = new File(System.getProperty("basedir", "."))
            .getAbsoluteFile().getParentFile();

    @Test
    public void everyProjectResolvesWithoutErrors() throws Exception {
        List<String> problems = new ArrayList<>();
        try (Workspace ws = new Workspace(ROOT)) {
            ws.setOffline(true); // the index's artifacts come from ~/.m2; a test never reaches Maven Central
            Collection<Project> projects = ws.getAllProjects();
            assertEquals("every directory with a bnd.bnd is a workspace project", bundleDirectories(), names(projects));
            assertTrue("a MavenBndRepository serves -buildpath: " + ws.getRepositories(),
                    ws.getRepositories().stream().anyMatch(BndWorkspaceTest::isMavenCentral));
            Set<String> pinned = pomVersions();
            for (Project project : projects) {
                check(project, pinned, problems);
            }
            report("workspace", ws.getErrors(), ws.getWarnings(), problems);
        }
        if (!problems.isEmpty()) {
            fail("bnd workspace " + ROOT + " has " + problems.size() + " problem(s):\n  "
                    + String.join("\n  ", problems));
        }
    }

    private static void check(Project project, Set<String> pinned, List<String> problems) throws Exception {
        project.prepare();
        String name = project.getName();
        File dir = project.getBase();
        expect(problems, name, "source path", List.of(new File(dir, "src/main/java")),
                new ArrayList<>(project.getSourcePath()));
        expect(problems, name, "output", new File(dir, "target/classes"), project.getOutput());
        expect(problems, name, "test source", new File(dir, "src/test/java"), project.getTestSrc());
        expect(problems, name, "test output", new File(dir, "target/test-classes"), project.getTestOutput());
        expect(problems, name, "target dir", new File(dir, "target"), project.getTargetDir());
        if (!new File(dir, "src/main/java").isDirectory()) {
            problems.add(name + ": no src/main/java");
        }
        // The symbolic name Maven gives the jar (org.joinleaf.<artifactId>, the directory's name).
        expect(problems, name, "Bundle-SymbolicName", "org.joinleaf." + name, project.getProperty("Bundle-SymbolicName"));
        List<Container> path = new ArrayList<>(project.getBuildpath());
        path.addAll(project.getTestpath());
        if (project.getBuildpath().isEmpty()) {
            problems.add(name + ": empty -buildpath");
        }
        for (Container c : project.getBuildpath()) {
            // The Maven version directory of ~/.m2: cnf/central.maven must follow the root pom's pins.
            if (c.getType() != Container.TYPE.REPO || c.getError() != null) {
                continue; // a project, or an error reported below
            }
            String mavenVersion = c.getFile().getParentFile().getName();
            if (!pinned.contains(mavenVersion)) {
                problems.add(name + ": " + c.getBundleSymbolicName() + " " + mavenVersion
                        + " is not a version the root pom pins: update cnf/central.maven and -buildpath");
            }
        }
        for (Container c : path) {
            if (c.getError() != null) {
                problems.add(name + ": " + c.getBundleSymbolicName() + " " + c.getVersion() + ": " + c.getError());
            } else if (c.getType() == Container.TYPE.REPO && !c.getFile().isFile()) {
                problems.add(name + ": " + c.getBundleSymbolicName() + " resolved to missing " + c.getFile());
            }
        }
        report(name, project.getErrors(), project.getWarnings(), problems);
    }

    /** Errors fail; warnings are printed, except unresolved macros, which fail too. */
    private static void report(String where, List<String> errors, List<String> warnings, List<String> problems) {
        errors.forEach(e -> problems.add(where + ": " + e));
        for (String w : warnings) {
            System.out.println("bnd warning, " + where + ": " + w);
            if (w.contains("No translation found for macro")) {
                problems.add(where + ": " + w);
            }
        }
    }

    private static void expect(List<String> problems, String project, String what, Object expected, Object actual) {
        if (!expected.equals(actual)) {
            problems.add(project + ": " + what + " is " + actual + ", expected " + expected);
        }
    }

    private static boolean isMavenCentral(RepositoryPlugin repo) {
        return repo instanceof MavenBndRepository && "Maven Central".equals(repo.getName());
    }

    /** Every {@code <x.version>} property of the root pom (the single place versions are pinned). */
    private static Set<String> pomVersions() throws java.io.IOException {
        String pom = java.nio.file.Files.readString(new File(ROOT, "pom.xml").toPath());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<[\\w.]+\\.version>([^<$]+)</").matcher(pom);
        Set<String> versions = new TreeSet<>();
        while (m.find()) {
            versions.add(m.group(1).trim());
        }
        return versions;
    }

    private static Set<String> names(Collection<Project> projects) {
        Set<String> names = new TreeSet<>();
        projects.forEach(p -> names.add(p.getName()));
        return names;
    }

    private static Set<String> bundleDirectories() {
        Set<String> names = new TreeSet<>();
        for (File dir : ROOT.listFiles(File::isDirectory)) {
            if (new File(dir, "bnd.bnd").isFile() && !dir.getName().equals("cnf")) {
                names.add(dir.getName());
            }
        }
        assertTrue("the eight joinleaf bundles: " + names, names.size() >= 8);
        return names;
    }
}
