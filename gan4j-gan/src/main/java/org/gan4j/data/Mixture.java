package org.gan4j.data;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Points drawn from equal-weight isotropic Gaussians in the plane. Values are raw coordinates,
 * and each point's label is the mode it was drawn from, so metrics can count covered modes.
 */
public final class Mixture implements Dataset {

    /** One mode: a centre in the plane. */
    public record Mode(float x, float y) {}

    private final String name;
    private final List<Mode> modes;
    private final float sigma;
    private final float[] points;
    private final int[] labels;
    private final long seed;

    Mixture(String name, List<Mode> modes, float sigma, float[] points, int[] labels, long seed) {
        this.name = name;
        this.modes = List.copyOf(modes);
        this.sigma = sigma;
        this.points = points;
        this.labels = labels;
        this.seed = seed;
    }

    public List<Mode> modes() {
        return modes;
    }

    /** The standard deviation of every mode along each axis. */
    public float sigma() {
        return sigma;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int[] itemShape() {
        return new int[] {2};
    }

    @Override
    public int classes() {
        return modes.size();
    }

    @Override
    public void copyItem(int i, float[] dst, int offset) {
        dst[offset] = points[2 * i];
        dst[offset + 1] = points[2 * i + 1];
    }

    @Override
    public int label(int i) {
        return labels[i];
    }

    @Override
    public String describe() {
        return name + ": " + size() + " points of 2, " + modes.size() + " Gaussians with sigma " + sigma + ", seed " + seed;
    }

    /** Synthetic data has no source file: the hash covers the generated points, which the seed fixes. */
    @Override
    public String checksum() {
        ByteBuffer b = ByteBuffer.allocate(points.length * 4);
        b.asFloatBuffer().put(points);
        return Source.sha256(List.of(new Source(name, b.array())));
    }
}
