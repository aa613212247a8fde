package org.gan4j.data;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** 8-bit images kept as bytes (one per pixel and channel) and scaled to [-1, 1] on the way out. */
final class ByteImages implements Dataset {
    private final String name;
    private final int[] shape;
    private final int itemLength;
    private final byte[] pixels;
    private final int[] labels;
    private final int classes;
    private final List<String> locations;
    private final String checksum;

    /** {@code labels} may be null for unlabelled images. */
    ByteImages(String name, int[] shape, byte[] pixels, int[] labels, int classes, List<String> locations, String checksum) {
        this.name = name;
        this.shape = shape.clone();
        this.itemLength = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        this.pixels = pixels;
        this.labels = labels;
        this.classes = classes;
        this.locations = List.copyOf(locations);
        this.checksum = checksum;
    }

    @Override
    public int size() {
        return pixels.length / itemLength;
    }

    @Override
    public int[] itemShape() {
        return shape.clone();
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public void copyItem(int i, float[] dst, int offset) {
        int base = i * itemLength;
        for (int k = 0; k < itemLength; k++) dst[offset + k] = (pixels[base + k] & 0xFF) / 127.5f - 1f;
    }

    @Override
    public int label(int i) {
        return labels == null ? -1 : labels[i];
    }

    @Override
    public String describe() {
        String dims = Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining("x"));
        String kinds = classes == 0 ? "unlabelled" : classes + " classes";
        return name + ": " + size() + " images of " + dims + ", " + kinds + ", from " + String.join(", ", locations);
    }

    @Override
    public String checksum() {
        return checksum;
    }

    /** Images read whole from {@code sources}, which are named in {@link #describe()} and hashed for {@link #checksum()}. */
    static ByteImages of(String name, int[] shape, byte[] pixels, int[] labels, int classes, List<Source> sources) {
        return new ByteImages(name, shape, pixels, labels, classes, sources.stream().map(Source::location).toList(), Source.sha256(sources));
    }

    /** The largest label plus one: the number of classes the labels use. */
    static int classCount(int[] labels) {
        return labels.length == 0 ? 0 : Arrays.stream(labels).max().getAsInt() + 1;
    }
}
