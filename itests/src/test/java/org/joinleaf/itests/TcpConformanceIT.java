package org.joinleaf.itests;

import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The rooted suite against provider.tcp over real loopback TCP, in Felix with the Netty bundles. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TcpConformanceIT extends RootedConformanceSuite {

    @Configuration
    public Option[] config() {
        return new Option[] {JoinleafOptions.base(), JoinleafOptions.netty(),
            CoreOptions.bundle(JoinleafOptions.projectBundle("provider.tcp"))};
    }

    @Override
    String rootedEntry() {
        return "joinleaf tcp multipoint [rooted]";
    }
}
