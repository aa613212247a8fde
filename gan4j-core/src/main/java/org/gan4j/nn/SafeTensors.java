package org.gan4j.nn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gan4j.io.AtomicFile;
import org.gan4j.io.Channels;
import org.gan4j.tensor.Tensor;

/**
 * The safetensors format in float32: an 8-byte little-endian header length, a JSON header
 * {"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, "__metadata__": {...}}
 * padded with spaces to a multiple of 8, then the tensors' little-endian bytes back to back.
 * PyTorch, JAX and others read and write it, so checkpoints move freely between them.
 * Reading also accepts F64 and I64 tensors (PyTorch saves BatchNorm's num_batches_tracked
 * as int64) and converts them to float32.
 */
public final class SafeTensors {
    private static final String METADATA = "__metadata__";
    private static final long MAX_HEADER = 100_000_000;   // as the reference implementation
    private static final int CHUNK = 1 << 16;             // floats converted per buffer

    private SafeTensors() {
    }

    /** What a file holds: tensors in file order and the string metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    /** Writes atomically (see {@link AtomicFile}): a reader never sees half a checkpoint. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        StringBuilder header = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            header.append(Json.quote(METADATA)).append(":{");
            String sep = "";
            for (var e : metadata.entrySet()) {
                header.append(sep).append(Json.quote(e.getKey())).append(':').append(Json.quote(e.getValue()));
                sep = ",";
            }
            header.append('}');
        }
        long offset = 0;
        for (var e : tensors.entrySet()) {
            if (e.getKey().equals(METADATA)) throw new IllegalArgumentException(file + ": a tensor cannot be named " + METADATA);
            long bytes = 4L * e.getValue().numel();
            if (header.length() > 1) header.append(',');
            header.append(Json.quote(e.getKey())).append(":{\"dtype\":\"F32\",\"shape\":[");
            int[] shape = e.getValue().shape();
            for (int d = 0; d < shape.length; d++) header.append(d == 0 ? "" : ",").append(shape[d]);
            header.append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        header.append('}');
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;

        try {
            AtomicFile.writeChannel(file, ch -> {
                ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
                head.putLong(padded).put(json);
                while (head.hasRemaining()) head.put((byte) ' ');
                Channels.writeFully(ch, head.flip());
                for (Tensor t : tensors.values()) Channels.writeFloats(ch, t.toArray());
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** Reads and checks a whole file; every problem is reported with the file's name. */
    public static Contents read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw corrupt(file, "file is " + size + " bytes, too short for the 8-byte header length");
            ByteBuffer lengthBytes = readFully(file, ch, 0, 8);
            long headerLength = lengthBytes.order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (headerLength <= 0 || headerLength > MAX_HEADER || headerLength > size - 8) {
                throw corrupt(file, "header length " + headerLength + " is impossible for a file of " + size + " bytes");
            }
            String json = StandardCharsets.UTF_8.newDecoder()
                    .decode(readFully(file, ch, 8, (int) headerLength)).toString();
            Object parsed;
            try {
                parsed = Json.parse(json);
            } catch (IllegalArgumentException e) {
                throw corrupt(file, "header is not valid JSON: " + e.getMessage());
            }
            if (!(parsed instanceof Map<?, ?> header)) throw corrupt(file, "header is not a JSON object");

            long dataStart = 8 + headerLength;
            List<Entry> entries = new ArrayList<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (var e : header.entrySet()) {
                String name = (String) e.getKey();
                if (name.equals(METADATA)) metadata = metadata(file, e.getValue());
                else entries.add(entry(file, name, e.getValue()));
            }
            checkLayout(file, entries, size - dataStart);

            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry en : entries) {
                float[] values = new float[Math.toIntExact((en.end - en.begin) / en.bytes)];
                for (int from = 0; from < values.length; from += CHUNK) {
                    int n = Math.min(CHUNK, values.length - from);
                    ByteBuffer b = readFully(file, ch, dataStart + en.begin + (long) en.bytes * from, en.bytes * n)
                            .order(ByteOrder.LITTLE_ENDIAN);
                    switch (en.dtype) {
                        case "F32" -> b.asFloatBuffer().get(values, from, n);
                        case "F64" -> { for (int i = 0; i < n; i++) values[from + i] = (float) b.getDouble(); }
                        default -> { for (int i = 0; i < n; i++) values[from + i] = b.getLong(); }
                    }
                }
                tensors.put(en.name, Tensor.of(values, en.shape));
            }
            return new Contents(tensors, metadata);
        } catch (CharacterCodingException e) {
            throw corrupt(file, "header is not valid UTF-8");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private record Entry(String name, String dtype, int bytes, int[] shape, long begin, long end) {
    }

    private static Entry entry(Path file, String name, Object value) {
        if (!(value instanceof Map<?, ?> info)) throw corrupt(file, "entry \"" + name + "\" is not an object");
        for (Object k : info.keySet()) {
            if (!List.of("dtype", "shape", "data_offsets").contains(k)) throw corrupt(file, "tensor \"" + name + "\" has unknown field \"" + k + "\"");
        }
        if (!(info.get("dtype") instanceof String dtype)) throw corrupt(file, "tensor \"" + name + "\" has no dtype");
        int bytes = switch (dtype) {
            case "F32" -> 4;
            case "F64", "I64" -> 8;
            default -> throw corrupt(file, "tensor \"" + name + "\" has dtype " + dtype + "; gan4j reads F32, F64 and I64 tensors");
        };
        long[] dims = longs(file, name, "shape", info.get("shape"), -1);
        long[] offsets = longs(file, name, "data_offsets", info.get("data_offsets"), 2);
        int[] shape = new int[dims.length];
        long count = 1;
        for (int d = 0; d < dims.length; d++) {
            if (dims[d] > Integer.MAX_VALUE) throw corrupt(file, "tensor \"" + name + "\" has a dimension of " + dims[d]);
            shape[d] = (int) dims[d];
            count *= dims[d];
            if (count > Integer.MAX_VALUE) throw corrupt(file, "tensor \"" + name + "\" has more than 2^31 values");
        }
        if (offsets[1] < offsets[0] || offsets[1] - offsets[0] != bytes * count) {
            throw corrupt(file, "tensor \"" + name + "\" of shape " + Tensor.shapeString(shape) + " needs " + bytes * count
                    + " bytes but its data_offsets [" + offsets[0] + ", " + offsets[1] + "] span " + (offsets[1] - offsets[0]));
        }
        return new Entry(name, dtype, bytes, shape, offsets[0], offsets[1]);
    }

    /** A JSON array of non-negative integers, of the given length unless it is -1. */
    private static long[] longs(Path file, String name, String field, Object value, int length) {
        if (!(value instanceof List<?> list) || (length >= 0 && list.size() != length)) {
            throw corrupt(file, "tensor \"" + name + "\": " + field + " is not " + (length >= 0 ? "a pair of integers" : "a list of integers"));
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long v) || v < 0) {
                throw corrupt(file, "tensor \"" + name + "\": " + field + " holds " + list.get(i) + ", not a non-negative integer");
            }
            out[i] = v;
        }
        return out;
    }

    private static Map<String, String> metadata(Path file, Object value) {
        if (!(value instanceof Map<?, ?> map)) throw corrupt(file, METADATA + " is not an object");
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : map.entrySet()) {
            if (!(e.getValue() instanceof String s)) throw corrupt(file, METADATA + " value of \"" + e.getKey() + "\" is not a string");
            out.put((String) e.getKey(), s);
        }
        return out;
    }

    /** The tensors' bytes must tile the data section exactly: no gaps, no overlaps, nothing past the end. */
    private static void checkLayout(Path file, List<Entry> entries, long dataLength) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long at = 0;
        for (Entry e : sorted) {
            if (e.begin < at) throw corrupt(file, "tensor \"" + e.name + "\" at bytes [" + e.begin + ", " + e.end + ") overlaps the tensor before it");
            if (e.begin > at) throw corrupt(file, "gap in the data before tensor \"" + e.name + "\" (bytes " + at + " to " + e.begin + ")");
            at = e.end;
        }
        if (at != dataLength) {
            throw corrupt(file, "header describes " + at + " bytes of data but the file holds " + dataLength
                    + (at > dataLength ? " (truncated?)" : ""));
        }
    }


    private static ByteBuffer readFully(Path file, FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) throw corrupt(file, "unexpected end of file at byte " + (position + buf.position()));
        }
        return buf.flip();
    }

    private static IllegalArgumentException corrupt(Path file, String message) {
        return new IllegalArgumentException(file + ": " + message);
    }
}
