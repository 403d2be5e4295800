package org.joinleaf.tcp.session;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.Test;

/**
 * Decision 35: who gives way when every member place of a root is taken. Members are named by their address; a
 * flood spread over many /24s of one /16 (issue 11: 127.4.x.y) is one busy network.
 */
public class MemberPlacesTest {
    private final MemberPlaces<String> places = new MemberPlaces<>();

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private void member(String address) {
        places.add(address, ip(address));
    }

    @Test // decision 35: a flood over 40 /24s of one /16 gives way to a caller from another /16, newest member first
    public void floodOverManyPrefixesOfOneNetworkGivesWayToAnotherNetwork() {
        for (int i = 0; i < 400; i++) {
            member("127.4." + (i % 40) + "." + (1 + i / 40));
        }
        member("127.4.7.11"); // the busiest /24, by one
        member("127.0.0.11");
        member("127.0.0.12");
        assertEquals("127.4.7.11", places.yieldTo(ip("127.0.0.100")));
        assertEquals(402, places.size());
        String next = places.yieldTo(ip("127.0.0.101"));
        assertTrue("the newest of another busiest /24: " + next, next.startsWith("127.4.") && next.endsWith(".10"));
    }

    @Test // decision 35: a flood spread so thin that each /24 holds no more than the caller's is still one network
    public void floodThinnerPerPrefixThanTheCallerStillGivesWay() {
        for (int i = 0; i < 200; i++) {
            member("127.4." + (i % 100) + "." + (1 + i / 100));
        }
        member("127.0.0.11");
        member("127.0.0.12");
        assertTrue("127.4/16 holds 200, 127.0/16 2", places.wouldYieldTo(ip("127.0.0.100")));
        assertTrue(places.yieldTo(ip("127.0.0.100")).startsWith("127.4."));
    }

    @Test // decision 35: a caller from the flooding network itself waits like anyone else
    public void callerFromTheBusiestPrefixGetsNoPlace() {
        for (int i = 1; i <= 10; i++) {
            member("127.4.0." + i);
        }
        assertFalse(places.wouldYieldTo(ip("127.4.0.200")));
        assertNull(places.yieldTo(ip("127.4.0.200")));
        assertEquals(10, places.size());
    }

    @Test // decision 35: within the busiest /16 the /24s are compared: another /24 of it takes from the busiest one
    public void withinTheBusiestNetworkPrefixesAreCompared() {
        for (int i = 1; i <= 6; i++) {
            member("10.1.1." + i);
        }
        member("10.1.2.1");
        assertEquals("10.1.1.6", places.yieldTo(ip("10.1.2.2")));
        assertTrue("10.1.1.x still holds 5", places.wouldYieldTo(ip("10.1.3.1")));
    }

    @Test // decision 35: the network must hold at least two fewer, so two networks never swap places back and forth
    public void nearlyEvenNetworksDoNotSwapPlaces() {
        member("10.1.0.1");
        member("10.1.0.2");
        member("10.1.0.3");
        member("10.2.0.1");
        assertEquals("10.1.0.3", places.yieldTo(ip("10.2.0.2")));
        places.add("10.2.0.2", ip("10.2.0.2"));
        // now 2 and 2: neither side may take the other's place
        assertFalse(places.wouldYieldTo(ip("10.2.0.3")));
        assertFalse(places.wouldYieldTo(ip("10.1.0.4")));
    }

    @Test // decision 35: a flood spread evenly over many /16s still gives way to a network holding fewer
    public void floodOverManyNetworksGivesWayToASmallerOne() {
        for (int n = 0; n < 30; n++) {
            for (int i = 1; i <= 5; i++) {
                member("10." + n + ".0." + i);
            }
        }
        member("192.168.1.1");
        assertTrue(places.wouldYieldTo(ip("192.168.1.2")));
        places.yieldTo(ip("192.168.1.2"));
        assertEquals(150, places.size());
    }

    @Test // decision 35 for IPv6: /48 networks and /64 prefixes
    public void ipv6NetworksAreSlashFortyEight() {
        member("fd00:1:1:1::1");
        member("fd00:1:1:5::1");
        member("fd00:1:1:5::2");
        assertEquals("fd00:1:1:5::2", places.yieldTo(ip("fd00:2::1")));
        assertFalse("the same /48, another /64: each /64 holds 1", places.wouldYieldTo(ip("fd00:1:1:9::1")));
    }

    @Test // a member that left is no longer counted; removing twice is harmless
    public void leavingMembersAreUncounted() {
        member("10.1.0.1");
        member("10.1.0.2");
        places.remove("10.1.0.1");
        places.remove("10.1.0.1");
        assertEquals(1, places.size());
        assertFalse(places.wouldYieldTo(ip("10.2.0.1")));
    }
}
