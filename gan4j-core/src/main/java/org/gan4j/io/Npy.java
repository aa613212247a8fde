package org.gan4j.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gan4j.tensor.Tensor;

/**
 * NumPy's .npy format, the interchange format for raw tensors: gan4j writes samples as
 * float32 and reads latent batches (float32 or numpy's default float64) and integer labels.
 *
 * <p>A file is the magic {@code \x93NUMPY}, a major and a minor version byte, the header's
 * length (2 bytes little-endian in version 1.0, 4 bytes in 2.0 and 3.0), then the header: a
 * Python dict literal such as {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }}
 * padded with spaces and ended by a newline so the data starts at a multiple of 64 bytes.
 * The data follows: the values back to back, here always in C (row-major) order.
 *
 * <p>Format problems are IllegalArgumentExceptions and I/O failures UncheckedIOExceptions;
 * both name the file.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    private static final int MAX_HEADER = 1 << 20;   // numpy's own headers are a few hundred bytes
    private static final int CHUNK = 1 << 16;         // values converted per buffer

    private Npy() {
    }

    /** What a header says; the data starts at {@code dataOffset}. */
    private record Header(String descr, boolean fortranOrder, int[] shape, long dataOffset) {
    }

    /** Turns {@code count} values from {@code buf} into the output array from index {@code from}. */
    private interface Convert {
        void take(ByteBuffer buf, int from, int count);
    }

    // ---- writing ----------------------------------------------------------------------

    /** Writes {@code t} as a little-endian float32 array (version 1.0, C order), atomically. */
    public static void write(Path file, Tensor t) {
        byte[] header = header("<f4", t.shape());
        float[] values = t.toArray();
        try {
            AtomicFile.writeChannel(file, ch -> {
                Channels.writeFully(ch, ByteBuffer.wrap(header));
                Channels.writeFloats(ch, values);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** Magic, version 1.0, length and the dict, padded so that the data is 64-byte aligned. */
    static byte[] header(String descr, int[] shape) {
        StringBuilder dict = new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': False, 'shape': (");
        for (int d = 0; d < shape.length; d++) dict.append(d == 0 ? "" : ", ").append(shape[d]);
        dict.append(shape.length == 1 ? ",), }" : "), }");   // (n,) is a one-element tuple in Python
        int prefix = MAGIC.length + 2 + 2;
        int total = (prefix + dict.length() + 1 + ALIGN - 1) / ALIGN * ALIGN;
        if (total - prefix > 0xFFFF) throw new IllegalArgumentException("shape of " + shape.length + " dimensions is too long for a .npy header");
        while (prefix + dict.length() + 1 < total) dict.append(' ');
        dict.append('\n');
        ByteBuffer out = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) (total - prefix));
        return out.put(dict.toString().getBytes(StandardCharsets.US_ASCII)).array();
    }

    // ---- reading ----------------------------------------------------------------------

    /** Reads a float32 ({@code '<f4'}) or float64 ({@code '<f8'}, converted to float32) array of any shape. */
    public static Tensor read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = readHeader(file, ch);
            int n = Tensor.numel(h.shape());
            float[] out = new float[n];
            switch (h.descr()) {
                case "<f4" -> readData(file, ch, h, 4, (buf, from, count) -> buf.asFloatBuffer().get(out, from, count));
                case "<f8" -> readData(file, ch, h, 8, (buf, from, count) -> {
                    for (int i = 0; i < count; i++) out[from + i] = (float) buf.getDouble();
                });
                default -> throw unsupported(file, h.descr(), "tensors are read from '<f4' or '<f8'", "'<f4'",
                        h.descr().matches("[<>|=]?[iu]\\d") ? "; integer arrays are read with Npy.readInts" : "");
            }
            return Tensor.of(out, h.shape());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
    }

    /** Reads an integer array ({@code '<i8'} or {@code '<i4'}), such as class labels, as its values in C order. */
    public static int[] readInts(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = readHeader(file, ch);
            int[] out = new int[Tensor.numel(h.shape())];
            switch (h.descr()) {
                case "<i4" -> readData(file, ch, h, 4, (buf, from, count) -> buf.asIntBuffer().get(out, from, count));
                case "<i8" -> readData(file, ch, h, 8, (buf, from, count) -> {
                    for (int i = 0; i < count; i++) {
                        long v = buf.getLong();
                        if (v != (int) v) throw corrupt(file, "value " + v + " at index " + (from + i) + " does not fit in an int");
                        out[from + i] = (int) v;
                    }
                });
                default -> throw unsupported(file, h.descr(), "integers are read from '<i8' or '<i4'", "'<i8'", "");
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
    }

    private static Header readHeader(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        ByteBuffer start = ByteBuffer.allocate((int) Math.min(size, MAGIC.length + 2));
        readFully(file, ch, 0, start);
        for (int i = 0; i < Math.min(start.limit(), MAGIC.length); i++) {
            if (start.get(i) != MAGIC[i]) throw corrupt(file, "not a .npy file: it does not start with \\x93NUMPY");
        }
        if (start.limit() < MAGIC.length + 2) throw corrupt(file, "truncated: the file ends after " + size + " bytes, inside the magic");
        int major = start.get(6) & 0xFF, minor = start.get(7) & 0xFF;
        if (major < 1 || major > 3 || minor != 0) {
            throw corrupt(file, "unsupported .npy format version " + major + "." + minor + " (gan4j reads 1.0, 2.0 and 3.0)");
        }
        int lengthBytes = major == 1 ? 2 : 4;
        ByteBuffer length = ByteBuffer.allocate(lengthBytes).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, ch, 8, length);
        long headerLength = major == 1 ? length.getShort(0) & 0xFFFF : length.getInt(0) & 0xFFFFFFFFL;
        long headerStart = 8 + lengthBytes;
        if (headerLength > size - headerStart) {
            throw corrupt(file, "truncated: the header needs " + headerLength + " bytes but the file ends after " + size);
        }
        if (headerLength > MAX_HEADER) throw corrupt(file, "header of " + headerLength + " bytes is implausibly long");
        ByteBuffer bytes = ByteBuffer.allocate((int) headerLength);
        readFully(file, ch, headerStart, bytes);
        // version 3.0 is UTF-8; earlier versions are ASCII, which numpy writes as Latin-1
        String text = new String(bytes.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Header h = parseHeader(file, text, headerStart + headerLength);
        if (h.fortranOrder()) {
            throw corrupt(file, "the array is stored in Fortran (column-major) order; save a C-ordered copy "
                    + "(numpy.ascontiguousarray) instead");
        }
        return h;
    }

    private static Header parseHeader(Path file, String text, long dataOffset) {
        Object parsed;
        try {
            parsed = new Literal(text).parseAll();
        } catch (IllegalArgumentException e) {
            throw corrupt(file, "malformed header (" + e.getMessage() + "): " + abbreviate(text));
        }
        if (!(parsed instanceof Map<?, ?> dict)) throw corrupt(file, "malformed header, not a dict: " + abbreviate(text));
        for (String key : List.of("descr", "fortran_order", "shape")) {
            if (!dict.containsKey(key)) throw corrupt(file, "malformed header, no '" + key + "': " + abbreviate(text));
        }
        Object descr = dict.get("descr");
        if (!(descr instanceof String dtype)) throw corrupt(file, "structured dtype " + abbreviate(String.valueOf(descr)) + " is not supported");
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) throw corrupt(file, "malformed header, fortran_order is not True or False: " + abbreviate(text));
        if (!(dict.get("shape") instanceof List<?> dims)) throw corrupt(file, "malformed header, shape is not a tuple: " + abbreviate(text));
        int[] shape = new int[dims.size()];
        long numel = 1;
        for (int d = 0; d < shape.length; d++) {
            if (!(dims.get(d) instanceof Long dim) || dim < 0) throw corrupt(file, "malformed header, bad shape " + dims);
            numel *= dim;   // may overflow only when dim itself is already too large
            if (dim > Integer.MAX_VALUE || numel > Integer.MAX_VALUE) {
                throw corrupt(file, "shape " + dims + " has more than 2^31 values, more than a tensor holds");
            }
            shape[d] = (int) (long) dim;
        }
        return new Header(dtype, fortran, shape, dataOffset);
    }

    /** Reads the data in chunks, so a large file needs no second copy of itself in memory. */
    private static void readData(Path file, FileChannel ch, Header h, int itemSize, Convert convert) throws IOException {
        int n = Tensor.numel(h.shape());
        long needed = (long) n * itemSize, held = ch.size() - h.dataOffset();
        if (held < needed) {
            throw corrupt(file, "truncated: shape " + shapeText(h.shape()) + " of '" + h.descr() + "' needs "
                    + needed + " bytes of data but the file holds " + held);
        }
        ByteBuffer buf = ByteBuffer.allocate(itemSize * Math.min(CHUNK, Math.max(n, 1))).order(ByteOrder.LITTLE_ENDIAN);
        long position = h.dataOffset();
        for (int from = 0; from < n; from += CHUNK) {
            int count = Math.min(CHUNK, n - from);
            buf.clear().limit(count * itemSize);
            readFully(file, ch, position, buf);
            convert.take(buf, from, count);
            position += (long) count * itemSize;
        }
    }

    // ---- helpers ----------------------------------------------------------------------


    /** Fills {@code buf} from {@code position} and flips it for reading. */
    private static void readFully(Path file, FileChannel ch, long position, ByteBuffer buf) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, at);
            if (n < 0) throw corrupt(file, "truncated: unexpected end of file at byte " + at);
            at += n;
        }
        buf.flip();
    }

    private static IllegalArgumentException unsupported(Path file, String descr, String accepted, String target, String hint) {
        return corrupt(file, "dtype '" + descr + "' is not supported here: " + accepted
                + " (little-endian; convert with numpy's a.astype(" + target + "))" + hint);
    }

    private static String shapeText(int[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (int d = 0; d < shape.length; d++) s.append(d == 0 ? "" : ", ").append(shape[d]);
        return s.append(shape.length == 1 ? ",)" : ")").toString();
    }

    private static String abbreviate(String text) {
        String t = text.strip();
        return t.length() <= 200 ? t : t.substring(0, 200) + "...";
    }

    private static IllegalArgumentException corrupt(Path file, String message) {
        return new IllegalArgumentException(file + ": " + message);
    }

    /**
     * The Python literals a .npy header uses: dicts, tuples and lists, strings, integers
     * (Python 2's {@code 3L} too), True, False and None. Tuples and lists become Lists,
     * integers Longs, None null.
     */
    private static final class Literal {
        private final String s;
        private int i;

        Literal(String s) {
            this.s = s;
        }

        Object parseAll() {
            Object v = value();
            skipSpace();
            if (i < s.length()) throw error("unexpected '" + s.charAt(i) + "'");
            return v;
        }

        private Object value() {
            skipSpace();
            if (i >= s.length()) throw error("unexpected end");
            char c = s.charAt(i);
            return switch (c) {
                case '{' -> dict();
                case '(' -> sequence(')');
                case '[' -> sequence(']');
                case '\'', '"' -> string();
                default -> c == '-' || c == '+' || Character.isDigit(c) ? integer() : word();
            };
        }

        private Map<String, Object> dict() {
            Map<String, Object> map = new LinkedHashMap<>();
            i++;
            while (!closes('}')) {
                skipSpace();
                if (i >= s.length() || (s.charAt(i) != '\'' && s.charAt(i) != '"')) throw error("expected a string key");
                String key = string();
                expect(':');
                map.put(key, value());
                if (!peek('}')) expect(',');
            }
            return map;
        }

        private List<Object> sequence(char close) {
            List<Object> list = new ArrayList<>();
            i++;
            while (!closes(close)) {
                list.add(value());
                if (!peek(close)) expect(',');
            }
            return list;
        }

        /** Consumes {@code close} if it comes next. */
        private boolean closes(char close) {
            boolean next = peek(close);
            if (next) i++;
            return next;
        }

        private boolean peek(char c) {
            skipSpace();
            return i < s.length() && s.charAt(i) == c;
        }

        private String string() {
            char quote = s.charAt(i++);
            StringBuilder out = new StringBuilder();
            while (i < s.length() && s.charAt(i) != quote) {
                if (s.charAt(i) == '\\' && i + 1 < s.length()) i++;   // enough for a dtype: the escaped character itself
                out.append(s.charAt(i++));
            }
            if (i >= s.length()) throw error("unterminated string");
            i++;
            return out.toString();
        }

        private Long integer() {
            int start = i;
            if (s.charAt(i) == '-' || s.charAt(i) == '+') i++;
            while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
            String digits = s.substring(start, i);
            if (i < s.length() && (s.charAt(i) == 'L' || s.charAt(i) == 'l')) i++;
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw error("bad integer '" + digits + "'");
            }
        }

        private Object word() {
            int start = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) i++;
            return switch (s.substring(start, i)) {
                case "True" -> Boolean.TRUE;
                case "False" -> Boolean.FALSE;
                case "None" -> null;
                default -> {
                    i = start;
                    throw error("unexpected '" + s.charAt(i) + "'");
                }
            };
        }

        private void expect(char c) {
            skipSpace();
            if (i >= s.length() || s.charAt(i) != c) throw error("expected '" + c + "'");
            i++;
        }

        private void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        private IllegalArgumentException error(String message) {
            return new IllegalArgumentException(message + " at character " + i);
        }
    }
}
