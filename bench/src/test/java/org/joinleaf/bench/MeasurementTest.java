package org.joinleaf.bench;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** The CSV contract of the bench output (issue 4 item 7: loss and rate as the README reports them). */
public class MeasurementTest {
    @Test
    public void csvLineMatchesHeaderWithLossAndRate() {
        Measurement m = new Measurement("multicast", "nio", 10, 64, 1000, 7500, 500_000_000L, "readers=2");
        assertEquals(Measurement.CSV_HEADER.split(",").length, m.toCsv().split(",").length);
        assertEquals("multicast,nio,10,64,1000,7500,25.00,500.0,15000,readers=2", m.toCsv());
    }

    @Test
    public void nothingSentIsNoLoss() {
        assertEquals(0.0, new Measurement("multicast", "nio", 1, 64, 0, 0, 0, "").lossPercent(), 0.0);
    }

    @Test(expected = IllegalArgumentException.class)
    public void notesWithCommaWouldBreakTheCsv() {
        new Measurement("multicast", "nio", 1, 64, 1, 1, 1, "a,b");
    }
}
