package org.gan4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gan4j.tensor.Rng;
import org.junit.jupiter.api.Test;

class DataLoaderTest {
    /** 103 distinct points, so each batch row can be traced back to its item. */
    private final Mixture data = Mixtures.grid25(103, 4);

    /** The item indices of one epoch, found by matching each batch row to the dataset. */
    private List<Integer> order(DataLoader loader) {
        return order(loader, 0);
    }

    private List<Integer> order(DataLoader loader, long epoch) {
        float[] all = new float[data.size() * 2];
        for (int i = 0; i < data.size(); i++) data.copyItem(i, all, 2 * i);
        List<Integer> seen = new ArrayList<>();
        for (Batch b : loader.epoch(epoch)) {
            float[] v = b.images().toArray();
            assertEquals(b.size(), b.images().shape()[0]);
            assertEquals(2, b.images().shape()[1]);
            for (int r = 0; r < b.size(); r++) {
                int found = -1;
                for (int i = 0; i < data.size() && found < 0; i++) {
                    if (all[2 * i] == v[2 * r] && all[2 * i + 1] == v[2 * r + 1]) found = i;
                }
                assertTrue(found >= 0);
                assertEquals(data.label(found), b.labels()[r]);
                seen.add(found);
            }
        }
        return seen;
    }

    @Test
    void everyItemOncePerEpoch() {
        DataLoader loader = new DataLoader(data, 10, Rng.seeded(1), false, true);
        assertEquals(11, loader.batchesPerEpoch());
        List<Integer> first = order(loader);
        List<Integer> sorted = new ArrayList<>(first);
        sorted.sort(null);
        assertEquals(java.util.stream.IntStream.range(0, 103).boxed().toList(), sorted);
        assertFalse(first.equals(order(loader, 1)), "each epoch draws a new order");
        assertEquals(first, order(loader, 0), "an epoch's order depends only on the seed and its number");
    }

    @Test
    void dropLastSkipsThePartialBatch() {
        DataLoader loader = new DataLoader(data, 10, Rng.seeded(1), true, false);
        assertEquals(10, loader.batchesPerEpoch());
        List<Integer> seen = order(loader);
        assertEquals(100, seen.size());
        assertEquals(100, seen.stream().distinct().count());
    }

    @Test
    void sameSeedSameOrderOtherSeedOtherOrder() {
        List<Integer> a = order(new DataLoader(data, 16, Rng.seeded(7), false, true));
        List<Integer> b = order(new DataLoader(data, 16, Rng.seeded(7), false, true));
        List<Integer> c = order(new DataLoader(data, 16, Rng.seeded(8), false, true));
        assertEquals(a, b);
        assertFalse(a.equals(c));
    }

    @Test
    void prefetchGivesTheSameBatchesAsNoPrefetch() {
        Dataset mnist = Datasets.mnistShipped();
        var with = new DataLoader(mnist, 64, Rng.seeded(3), false, true).epoch(0).iterator();
        var without = new DataLoader(mnist, 64, Rng.seeded(3), false, false).epoch(0).iterator();
        int batches = 0;
        while (with.hasNext()) {
            Batch x = with.next(), y = without.next();
            assertArrayEquals(new int[] {x.size(), 1, 28, 28}, x.images().shape());
            assertArrayEquals(y.labels(), x.labels());
            assertTrue(Arrays.equals(y.images().toArray(), x.images().toArray()));
            batches++;
        }
        assertFalse(without.hasNext());
        assertEquals(157, batches);
    }

    @Test
    void seekingContinuesExactlyWhereAnUninterruptedLoaderWouldBe() {
        DataLoader straight = new DataLoader(data, 10, Rng.seeded(5), false, true);
        List<int[]> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) expected.add(straight.next().labels());
        assertEquals(30, straight.position());
        DataLoader resumed = new DataLoader(data, 10, Rng.seeded(5), false, true);
        resumed.seek(17);   // in the middle of the second epoch (11 batches each)
        for (int i = 17; i < 30; i++) assertArrayEquals(expected.get(i), resumed.next().labels(), "batch " + i);
    }

    @Test
    void batchLargerThanDatasetIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DataLoader(data, 104, Rng.seeded(1), false, true));
        assertTrue(e.getMessage().startsWith("batch size 104 is larger than the dataset"), e.getMessage());
    }
}
