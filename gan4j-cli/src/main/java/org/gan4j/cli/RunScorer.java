package org.gan4j.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * Judges a finished run, so that a sweep can rank its runs. gan4j scores runs on 2-D mixtures
 * itself ({@link MixtureScorer}); scorers for other data (FID, KID, precision/recall of images)
 * are found with {@link java.util.ServiceLoader} and asked in turn.
 */
public interface RunScorer {

    /**
     * @param values  every figure, by name, for the table (e.g. modes_covered, high_quality)
     * @param rankKey figures compared in order, higher is better (negate a lower-is-better one)
     */
    record Score(Map<String, Double> values, double[] rankKey) {
    }

    /** The score of the run in {@code dir}, or null when this scorer does not judge its data. */
    Score score(Path dir, RunConfig config);
}
