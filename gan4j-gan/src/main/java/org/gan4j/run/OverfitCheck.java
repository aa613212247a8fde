package org.gan4j.run;

import org.gan4j.data.Dataset;
import org.gan4j.gan.Discriminator;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Scope;

/**
 * Whether D memorises its training images (Karras et al. 2020, "Training GANs with Limited Data",
 * Fig. 1b): D's mean logit on images it trains on against images of the same data it never sees.
 * The two stay together while D generalises and part as it overfits. D runs in evaluation mode,
 * on the images as they are (no augmentation), and no state changes.
 *
 * @param seen   the images D trains on
 * @param unseen images of the same data set left out of training
 * @param batch  images per forward pass; the run's batch size, which a packed D divides
 */
record OverfitCheck(Dataset seen, Dataset unseen, int batch) {
    /** Images of each set per check: the mean of 512 logits is steady to about ±0.1 of their spread. */
    static final int IMAGES = 512;

    /** D's mean logit on each set. */
    record Logits(double seen, double unseen) {
    }

    Logits measure(Discriminator d) {
        boolean wasTraining = d.isTraining();
        d.eval();
        try {
            return new Logits(meanLogit(d, seen), meanLogit(d, unseen));
        } finally {
            d.train(wasTraining);
        }
    }

    /** Over the first whole batches of up to {@link #IMAGES} items; NaN when the set is smaller than a batch. */
    private double meanLogit(Discriminator d, Dataset data) {
        int n = Math.min(IMAGES, data.size()) / batch * batch;
        double sum = 0;
        long count = 0;
        for (int from = 0; from < n; from += batch) {
            try (Scope scope = Scope.open(); var noGrad = Autograd.noGrad()) {
                int[] labels = d.classes() == 0 ? null : new int[batch];
                for (int i = 0; labels != null && i < batch; i++) labels[i] = data.label(from + i);
                for (float logit : d.score(data.items(from, batch), labels).toArray()) {
                    sum += logit;
                    count++;
                }
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }
}
