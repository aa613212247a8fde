package org.gan4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MixturesTest {

    /** Every point within 5 sigma of its own mode, per-axis spread close to sigma, every mode used. */
    private static void checkStatistics(Mixture m) {
        int[] counts = new int[m.modes().size()];
        double sumSq = 0;
        float[] p = new float[2];
        for (int i = 0; i < m.size(); i++) {
            m.copyItem(i, p, 0);
            Mixture.Mode mode = m.modes().get(m.label(i));
            double dx = p[0] - mode.x(), dy = p[1] - mode.y();
            assertTrue(Math.hypot(dx, dy) < 6 * m.sigma(), "point " + i + " far from its mode");
            sumSq += dx * dx + dy * dy;
            counts[m.label(i)]++;
        }
        double sd = Math.sqrt(sumSq / (2 * m.size()));
        assertEquals(m.sigma(), sd, 0.05 * m.sigma());
        double expected = (double) m.size() / counts.length;
        for (int c : counts) assertEquals(expected, c, 5 * Math.sqrt(expected));
    }

    @Test
    void ring8() {
        Mixture m = Mixtures.ring8(20000, 1);
        assertEquals(8, m.modes().size());
        assertEquals(0.01f, m.sigma());
        assertArrayEquals(new int[] {2}, m.itemShape());
        for (Mixture.Mode mode : m.modes()) assertEquals(1.0, Math.hypot(mode.x(), mode.y()), 1e-6);
        checkStatistics(m);
    }

    @Test
    void grid25() {
        Mixture m = Mixtures.grid25(20000, 2);
        assertEquals(25, m.modes().size());
        assertEquals(0.05f, m.sigma());
        assertTrue(m.modes().contains(new Mixture.Mode(-4, 4)));
        assertTrue(m.modes().contains(new Mixture.Mode(0, 0)));
        checkStatistics(m);
    }

    @Test
    void seedFixesThePoints() {
        assertEquals(Mixtures.ring8(100, 5).checksum(), Mixtures.ring8(100, 5).checksum());
        assertNotEquals(Mixtures.ring8(100, 5).checksum(), Mixtures.ring8(100, 6).checksum());
    }
}
