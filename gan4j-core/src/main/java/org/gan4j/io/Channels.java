package org.gan4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;

/** Writes to a channel in full: a buffer, and float arrays as little-endian float32 (safetensors' and .npy's data). */
public final class Channels {
    private static final int CHUNK = 1 << 16;   // floats converted per buffer

    private Channels() {
    }

    public static void writeFully(WritableByteChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) ch.write(buf);
    }

    public static void writeFloats(WritableByteChannel ch, float[] values) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(4 * Math.min(CHUNK, Math.max(values.length, 1))).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < values.length; from += CHUNK) {
            int n = Math.min(CHUNK, values.length - from);
            buf.clear();
            buf.asFloatBuffer().put(values, from, n);
            buf.limit(4 * n);
            writeFully(ch, buf);
        }
    }
}
