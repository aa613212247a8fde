package org.gan4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StackedMnistTest {

    @Test
    void channelsAreThreeDigitsAndTheLabelSpellsThem() {
        Dataset digits = Datasets.mnistShipped();
        StackedMnist s = StackedMnist.of(digits, 5000, 3);
        assertEquals(5000, s.size());
        assertArrayEquals(new int[] {3, 28, 28}, s.itemShape());
        assertEquals(1000, s.classes());
        float[] item = new float[s.itemLength()];
        float[] digit = new float[784];
        Set<Integer> modes = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            s.copyItem(i, item, 0);
            int label = 0;
            for (int c = 0; c < 3; c++) {
                int k = s.digitIndex(i, c);
                digits.copyItem(k, digit, 0);
                assertArrayEquals(digit, java.util.Arrays.copyOfRange(item, c * 784, (c + 1) * 784));
                label = 10 * label + digits.label(k);
            }
            assertEquals(label, s.label(i));
        }
        for (int i = 0; i < s.size(); i++) modes.add(s.label(i));
        assertTrue(modes.size() > 900, "5000 draws should hit most of the 1000 modes, hit " + modes.size());
    }

    @Test
    void seedFixesTheDraws() {
        Dataset digits = Datasets.mnistShipped();
        StackedMnist a = StackedMnist.of(digits, 100, 9), b = StackedMnist.of(digits, 100, 9), c = StackedMnist.of(digits, 100, 10);
        int same = 0, differ = 0;
        for (int i = 0; i < 100; i++) {
            if (a.label(i) == b.label(i)) same++;
            if (a.label(i) != c.label(i)) differ++;
        }
        assertEquals(100, same);
        assertTrue(differ > 90);
    }
}
