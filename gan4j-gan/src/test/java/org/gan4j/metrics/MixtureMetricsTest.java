package org.gan4j.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class MixtureMetricsTest {
    private final List<float[]> modes = List.of(new float[] {0, 0}, new float[] {1, 0}, new float[] {0, 1}, new float[] {1, 1});

    @Test
    void countsHighQualitySamplesPerNearestMode() {
        float[] points = {
                0.01f, 0, 0, 0.02f,      // two at mode 0, within 3σ = 0.03
                1, 0.029f,               // one at mode 1
                0.5f, 0.5f,              // far from everything
                1.05f, 1f};              // near mode 3 but outside 3σ
        MixtureMetrics.Result r = MixtureMetrics.evaluate(points, modes, 0.01f);
        assertEquals(5, r.samples());
        assertEquals(2, r.modesCovered());
        assertEquals(0.6, r.highQualityShare(), 1e-9);
        assertArrayEquals(new int[] {2, 1, 0, 0}, r.perMode());
        // shares 2/3 and 1/3 against 1/4 each
        assertEquals(2.0 / 3 * Math.log(8.0 / 3) + 1.0 / 3 * Math.log(4.0 / 3), r.reverseKl(), 1e-9);
    }

    @Test
    void aPerfectSpreadHasZeroReverseKl() {
        float[] points = {0, 0, 1, 0, 0, 1, 1, 1};
        MixtureMetrics.Result r = MixtureMetrics.evaluate(points, modes, 0.01f);
        assertEquals(4, r.modesCovered());
        assertEquals(0.0, r.reverseKl(), 1e-12);
    }
}
