package org.gan4j.tensor;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gan4j.nn.SafeTensors;

/**
 * One golden case: named arrays with their shapes, in file order, and the string metadata.
 */
record GoldenFile(String name, Map<String, float[]> values, Map<String, int[]> shapes, Map<String, String> meta) {

    /** Reads a file written by make_golden.py with gan4j's own safetensors reader. */
    static GoldenFile read(Path path) {
        SafeTensors.Contents contents = SafeTensors.read(path);
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        contents.tensors().forEach((k, t) -> {
            values.put(k, t.toArray());
            shapes.put(k, t.shape());
        });
        String file = path.getFileName().toString();
        return new GoldenFile(file.substring(0, file.length() - ".safetensors".length()), values, shapes, contents.metadata());
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    /** A new tensor with the stored values. */
    Tensor tensor(String key) {
        if (!has(key)) throw new IllegalArgumentException(name + ": no tensor " + key);
        return Tensor.of(values.get(key), shapes.get(key));
    }

    /** Stored floats read as integer indices. */
    int[] indices(String key) {
        float[] v = values.get(key);
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) out[i] = Math.round(v[i]);
        return out;
    }

    String str(String key) {
        String v = meta.get(key);
        if (v == null) throw new IllegalArgumentException(name + ": no metadata " + key);
        return v;
    }

    int integer(String key) {
        return Integer.parseInt(str(key));
    }

    float number(String key) {
        return Float.parseFloat(str(key));
    }

    boolean flag(String key) {
        return Boolean.parseBoolean(str(key));
    }

    /** A comma-separated list such as "0,2". */
    int[] ints(String key) {
        return Arrays.stream(str(key).split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    }
}
