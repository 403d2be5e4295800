package org.joinleaf.gateway;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Job;
import org.apache.felix.service.command.Process;
import org.apache.felix.service.command.Result;
import org.junit.Test;

/**
 * Issue 11 (hostile suite, "heap back to baseline"): Gogo runtime 1.1.6 keeps every command line's job as a child of
 * the console's job, about 45 KB each, so some 600 commands exhausted the 32 MB gateway. The reaper drops the
 * finished children after each command line and leaves the running ones (a background job) alone.
 */
public class GogoJobReaperTest {

    @Test
    public void finishedChildrenOfTheConsoleJobAreDropped() {
        FakeJob console = new FakeJob(Job.Status.Foreground);
        FakeJob background = new FakeJob(Job.Status.Background);
        for (int i = 0; i < 300; i++) {
            console.children.add(new FakeJob(Job.Status.Done));
        }
        console.children.add(background);
        new GogoJobReaper().reap(console);
        assertEquals(1, console.children.size());
        assertSame("a job still running stays", background, console.children.get(0));
    }

    @Test
    public void aJobWithoutChildrenListIsLeftAlone() {
        GogoJobReaper reaper = new GogoJobReaper();
        reaper.reap(new FakeJob(Job.Status.Foreground) { });  // its class declares no 'children': said once, no throw
        reaper.reap(null); // no current job (a command run outside the console)
    }

    /** The shape of the runtime's JobImpl that matters: a private list of child jobs. */
    private static class FakeJob implements Job {
        private final List<Job> children = new ArrayList<>();
        private final Status status;

        FakeJob(Status status) {
            this.status = status;
        }

        @Override
        public int id() {
            return 0;
        }

        @Override
        public CharSequence command() {
            return "echo";
        }

        @Override
        public Status status() {
            return status;
        }

        @Override
        public void suspend() {
        }

        @Override
        public void background() {
        }

        @Override
        public void foreground() {
        }

        @Override
        public void interrupt() {
        }

        @Override
        public Result result() {
            return null;
        }

        @Override
        public List<Process> processes() {
            return List.of();
        }

        @Override
        public CommandSession session() {
            return null;
        }

        @Override
        public Job parent() {
            return null;
        }
    }
}
