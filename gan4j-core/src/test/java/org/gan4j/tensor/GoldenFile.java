package org.gan4j.tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One golden case read from a safetensors file (F32 tensors only): named arrays with their
 * shapes, in file order, and the string metadata. Only what the golden files use is parsed.
 */
record GoldenFile(String name, Map<String, float[]> values, Map<String, int[]> shapes, Map<String, String> meta) {

    static GoldenFile read(Path path) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = Math.toIntExact(buf.getLong());
        String json = new String(buf.array(), 8, headerLength, StandardCharsets.UTF_8);
        @SuppressWarnings("unchecked")
        Map<String, Object> header = (Map<String, Object>) new Json(json).value();
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        for (var e : header.entrySet()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> entry = (Map<String, Object>) e.getValue();
            if (e.getKey().equals("__metadata__")) {
                entry.forEach((k, v) -> meta.put(k, (String) v));
                continue;
            }
            if (!"F32".equals(entry.get("dtype"))) throw new IOException(path + ": " + e.getKey() + " is not F32");
            List<?> offsets = (List<?>) entry.get("data_offsets");
            int begin = 8 + headerLength + ((Number) offsets.get(0)).intValue();
            int end = 8 + headerLength + ((Number) offsets.get(1)).intValue();
            float[] v = new float[(end - begin) / 4];
            buf.position(begin);
            buf.asFloatBuffer().get(v);
            values.put(e.getKey(), v);
            shapes.put(e.getKey(), ((List<?>) entry.get("shape")).stream().mapToInt(d -> ((Number) d).intValue()).toArray());
        }
        String file = path.getFileName().toString();
        return new GoldenFile(file.substring(0, file.length() - ".safetensors".length()), values, shapes, meta);
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

    /** Just enough JSON for a safetensors header: objects, arrays, strings and numbers. */
    private static final class Json {
        private final String s;
        private int at;

        Json(String s) {
            this.s = s;
        }

        Object value() {
            skipSpace();
            char c = s.charAt(at);
            if (c == '{') return object();
            if (c == '[') return array();
            if (c == '"') return string();
            int start = at;
            while (at < s.length() && "+-.0123456789eE".indexOf(s.charAt(at)) >= 0) at++;
            return Double.parseDouble(s.substring(start, at));
        }

        private Map<String, Object> object() {
            Map<String, Object> map = new LinkedHashMap<>();
            at++;
            skipSpace();
            if (s.charAt(at) == '}') {
                at++;
                return map;
            }
            while (true) {
                skipSpace();
                String key = string();
                skipSpace();
                expect(':');
                map.put(key, value());
                skipSpace();
                if (s.charAt(at++) == '}') return map;
            }
        }

        private List<Object> array() {
            List<Object> list = new ArrayList<>();
            at++;
            skipSpace();
            if (s.charAt(at) == ']') {
                at++;
                return list;
            }
            while (true) {
                list.add(value());
                skipSpace();
                if (s.charAt(at++) == ']') return list;
            }
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            for (char c; (c = s.charAt(at++)) != '"'; ) {
                if (c == '\\') {
                    char e = s.charAt(at++);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'u' -> {
                            b.append((char) Integer.parseInt(s.substring(at, at + 4), 16));
                            at += 4;
                        }
                        default -> b.append(e);
                    }
                } else {
                    b.append(c);
                }
            }
            return b.toString();
        }

        private void expect(char c) {
            if (s.charAt(at) != c) throw new IllegalArgumentException("expected '" + c + "' at " + at + " in " + s);
            at++;
        }

        private void skipSpace() {
            while (at < s.length() && Character.isWhitespace(s.charAt(at))) at++;
        }
    }
}
