package org.gan4j.metrics;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Sample-quality statistics between two sets of feature vectors (rows), in float64: the Fréchet
 * distance (Heusel et al. 2017), the kernel inception distance (Bińkowski et al. 2018) and
 * k-NN precision and recall (Kynkäänniemi et al. 2019). Names say "distance", not "FID": the
 * features come from whatever network the caller used.
 */
public final class FeatureMetrics {
    private FeatureMetrics() {
    }

    /** A value and its spread over subsets. */
    public record Estimate(double mean, double std) {
    }

    /** Kynkäänniemi et al.: the share of generated points on the real manifold, and of real points on the generated one. */
    public record PrecisionRecall(double precision, double recall) {
    }

    /**
     * ‖μ₁ − μ₂‖² + tr(Σ₁) + tr(Σ₂) − 2 tr((Σ₁Σ₂)^½). The last trace is taken as
     * tr((Σ₁^½ Σ₂ Σ₁^½)^½): that matrix is symmetric positive semi-definite, so two symmetric
     * eigendecompositions give it without the complex arithmetic a general sqrtm needs.
     */
    public static double frechetDistance(double[][] a, double[][] b) {
        int d = dimension(a, b);
        if (a.length < 2 || b.length < 2) throw new IllegalArgumentException("the Fréchet distance needs at least 2 samples per set");
        double[] muA = mean(a), muB = mean(b);
        DMatrixRMaj covA = covariance(a, muA), covB = covariance(b, muB);
        DMatrixRMaj rootA = symmetricSqrt(covA);
        DMatrixRMaj tmp = new DMatrixRMaj(d, d), inner = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(rootA, covB, tmp);
        CommonOps_DDRM.mult(tmp, rootA, inner);
        symmetrize(inner);
        double traceRoot = 0;
        for (double lambda : eigenvalues(inner)) traceRoot += Math.sqrt(Math.max(lambda, 0));
        double meanTerm = 0;
        for (int j = 0; j < d; j++) meanTerm += (muA[j] - muB[j]) * (muA[j] - muB[j]);
        return meanTerm + CommonOps_DDRM.trace(covA) + CommonOps_DDRM.trace(covB) - 2 * traceRoot;
    }

    /**
     * Unbiased MMD² with the kernel k(x, y) = (x·y / d + 1)³, averaged over {@code subsets}
     * random subsets of {@code subsetSize} rows from each set (Bińkowski et al. 2018).
     */
    public static Estimate kernelDistance(double[][] a, double[][] b, int subsets, int subsetSize, long seed) {
        int d = dimension(a, b);
        int m = Math.min(subsetSize, Math.min(a.length, b.length));
        if (m < 2) throw new IllegalArgumentException("the kernel distance needs at least 2 samples per set");
        java.util.Random rng = new java.util.Random(seed);
        double[] values = new double[subsets];
        for (int s = 0; s < subsets; s++) {
            double[][] x = subset(a, m, rng), y = subset(b, m, rng);
            double kxx = 0, kyy = 0, kxy = 0;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    if (i != j) {
                        kxx += cubicKernel(x[i], x[j], d);
                        kyy += cubicKernel(y[i], y[j], d);
                    }
                    kxy += cubicKernel(x[i], y[j], d);
                }
            }
            values[s] = (kxx + kyy) / (m * (m - 1.0)) - 2 * kxy / ((double) m * m);
        }
        return meanAndStd(values);
    }

    /**
     * A generated point is "precise" when it lies inside the k-NN ball of some real point (the
     * ball reaching that real point's k-th nearest real neighbour); recall swaps the roles.
     */
    public static PrecisionRecall precisionRecall(double[][] real, double[][] fake, int k) {
        dimension(real, fake);
        if (real.length <= k || fake.length <= k) throw new IllegalArgumentException("precision/recall with k = " + k + " needs more than k samples per set");
        return new PrecisionRecall(coverage(real, kthNeighbourDistances(real, k), fake),
                coverage(fake, kthNeighbourDistances(fake, k), real));
    }

    /** The share of {@code queries} within radius[i] of some manifold point i (squared distances throughout). */
    private static double coverage(double[][] manifold, double[] radius2, double[][] queries) {
        // quadratic in the sample count, so spread over the cores: 10,000 against 10,000 is the usual call
        long inside = Arrays.stream(queries).parallel().filter(q -> {
            for (int i = 0; i < manifold.length; i++) if (squaredDistance(q, manifold[i]) <= radius2[i]) return true;
            return false;
        }).count();
        return inside / (double) queries.length;
    }

    private static double[] kthNeighbourDistances(double[][] points, int k) {
        double[] result = new double[points.length];
        IntStream.range(0, points.length).parallel().forEach(i -> {
            double[] dist = new double[points.length];
            for (int j = 0; j < points.length; j++) dist[j] = squaredDistance(points[i], points[j]);
            Arrays.sort(dist);
            result[i] = dist[k];   // dist[0] is the point itself
        });
        return result;
    }

    /** The mean and the sample standard deviation (NaN for fewer than two values). */
    public static Estimate meanAndStd(double[] values) {
        double mean = Arrays.stream(values).average().orElse(Double.NaN);
        double var = 0;
        for (double v : values) var += (v - mean) * (v - mean);
        return new Estimate(mean, values.length > 1 ? Math.sqrt(var / (values.length - 1)) : Double.NaN);
    }

    private static double cubicKernel(double[] x, double[] y, int d) {
        double dot = 0;
        for (int j = 0; j < d; j++) dot += x[j] * y[j];
        double t = dot / d + 1;
        return t * t * t;
    }

    private static double squaredDistance(double[] x, double[] y) {
        double s = 0;
        for (int j = 0; j < x.length; j++) {
            double t = x[j] - y[j];
            s += t * t;
        }
        return s;
    }

    private static double[][] subset(double[][] rows, int m, java.util.Random rng) {
        int[] order = ShuffledSubset.firstOfShuffle(rows.length, m, rng);
        double[][] out = new double[m][];
        for (int i = 0; i < m; i++) out[i] = rows[order[i]];
        return out;
    }

    private static int dimension(double[][] a, double[][] b) {
        if (a.length == 0 || b.length == 0) throw new IllegalArgumentException("a feature set is empty");
        int d = a[0].length;
        if (b[0].length != d) throw new IllegalArgumentException("feature sizes differ: " + d + " and " + b[0].length);
        return d;
    }

    private static double[] mean(double[][] rows) {
        double[] mu = new double[rows[0].length];
        for (double[] r : rows) for (int j = 0; j < mu.length; j++) mu[j] += r[j];
        for (int j = 0; j < mu.length; j++) mu[j] /= rows.length;
        return mu;
    }

    /** The unbiased sample covariance (divided by n − 1), as numpy.cov. */
    private static DMatrixRMaj covariance(double[][] rows, double[] mu) {
        int n = rows.length, d = mu.length;
        DMatrixRMaj centred = new DMatrixRMaj(n, d);
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) centred.unsafe_set(i, j, rows[i][j] - mu[j]);
        DMatrixRMaj cov = new DMatrixRMaj(d, d);
        CommonOps_DDRM.multTransA(centred, centred, cov);
        CommonOps_DDRM.scale(1.0 / (n - 1), cov);
        return cov;
    }

    /** V diag(√max(λ, 0)) Vᵀ of a symmetric matrix; tiny negative eigenvalues are rounding noise. */
    private static DMatrixRMaj symmetricSqrt(DMatrixRMaj s) {
        int d = s.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(s.copy())) throw new IllegalStateException("eigendecomposition failed");
        DMatrixRMaj root = new DMatrixRMaj(d, d);
        for (int e = 0; e < d; e++) {
            double r = Math.sqrt(Math.max(eig.getEigenvalue(e).real, 0));
            DMatrixRMaj v = eig.getEigenVector(e);
            for (int i = 0; i < d; i++) {
                double vi = v.get(i) * r;
                for (int j = 0; j < d; j++) root.add(i, j, vi * v.get(j));
            }
        }
        return root;
    }

    private static double[] eigenvalues(DMatrixRMaj s) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(s.numRows, false, true);
        if (!eig.decompose(s.copy())) throw new IllegalStateException("eigendecomposition failed");
        double[] out = new double[s.numRows];
        for (int e = 0; e < out.length; e++) out[e] = eig.getEigenvalue(e).real;
        return out;
    }

    private static void symmetrize(DMatrixRMaj m) {
        for (int i = 0; i < m.numRows; i++) {
            for (int j = i + 1; j < m.numCols; j++) {
                double avg = (m.get(i, j) + m.get(j, i)) / 2;
                m.set(i, j, avg);
                m.set(j, i, avg);
            }
        }
    }
}
