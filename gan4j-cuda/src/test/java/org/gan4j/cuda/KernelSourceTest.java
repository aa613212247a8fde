package org.gan4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gan4j.tensor.BinaryOp;
import org.gan4j.tensor.Distribution;
import org.gan4j.tensor.Philox;
import org.gan4j.tensor.ReduceOp;
import org.gan4j.tensor.UnaryOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .cu resources without a GPU: they compile with nvcc for sm_90 (machine code and PTX), they
 * use nothing NVRTC lacks, their op codes follow the Java enums, and random.cu built as host code
 * gives bit for bit the numbers of the Java Philox.
 */
class KernelSourceTest {
    @TempDir
    Path tmp;

    @Test
    void everyKernelFileCompilesWithNvccForSm90() throws IOException, InterruptedException {
        Path nvcc = Tools.nvcc().orElse(null);
        assumeTrue(nvcc != null, "nvcc not found (PATH, /usr/local/cuda*/bin): kernels not compiled here");
        for (String file : Kernels.FILES) {
            Path cu = tmp.resolve(file + ".cu");
            Files.writeString(cu, Kernels.source(file));
            List<String> command = new ArrayList<>(List.of(nvcc.toString(), "-fatbin",
                    "-gencode", "arch=compute_90,code=[sm_90,compute_90]", "-Werror", "all-warnings"));
            command.addAll(Kernels.OPTIONS);
            command.addAll(List.of(cu.toString(), "-o", file + ".fatbin"));
            Tools.run(tmp, command.toArray(String[]::new));
            assertTrue(Files.size(tmp.resolve(file + ".fatbin")) > 1000, file);
        }
    }

    @Test
    void sourcesIncludeNothingNvrtcLacks() {
        for (String file : Kernels.FILES) {
            assertFalse(Kernels.source(file).contains("#include"), file + ".cu: NVRTC has no system headers");
        }
    }

    @Test
    void opCodesFollowTheJavaEnums() {
        String elementwise = Kernels.resource("elementwise.cu");
        assertEquals(names(UnaryOp.values()), enumNames(elementwise, "Unary"));
        assertEquals(names(BinaryOp.values()), enumNames(elementwise, "Binary"));
        assertEquals(names(ReduceOp.values()), enumNames(Kernels.resource("reduce.cu"), "Reduction"));
    }

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toList();
    }

    private static List<String> enumNames(String source, String name) {
        Matcher m = Pattern.compile("enum " + name + "\\s*\\{([^}]*)}").matcher(source);
        assertTrue(m.find(), "enum " + name);
        return Arrays.stream(m.group(1).split(",")).map(String::strip).toList();
    }

    @Test
    void philoxOfRandomCuMatchesJavaBitForBit() throws IOException, InterruptedException {
        Path nvcc = Tools.nvcc().orElse(null);
        assumeTrue(nvcc != null, "nvcc not found (PATH, /usr/local/cuda*/bin): Philox host build skipped");
        for (String name : List.of("common.cuh", "random.cu", "philox_host.cu")) {
            try (InputStream in = name.equals("philox_host.cu") ? getClass().getResourceAsStream(name)
                    : Kernels.class.getResourceAsStream(name)) {
                Files.copy(in, tmp.resolve(name));
            }
        }
        Tools.run(tmp, nvcc.toString(), "-O2", "philox_host.cu", "-o", "philox_host");
        // seeds and streams with high words set, a counter that carries into its high word, uneven lengths
        long[][] cases = {{0, 0, 0}, {42, 1, 7}, {0x9E3779B97F4A7C15L, 0xFFFFFFFFL + 3, 0xFFFFFFFEL},
                {-1L, -2L, Long.MAX_VALUE - 100}, {123456789L, 5, 1L << 40}};
        int n = 100_003;
        for (long[] c : cases) {
            for (Distribution dist : Distribution.values()) {
                String out = Tools.run(tmp, tmp.resolve("philox_host").toString(), dist == Distribution.NORMAL ? "1" : "0",
                        Integer.toString(n), Long.toUnsignedString(c[0]), Long.toUnsignedString(c[1]), Long.toUnsignedString(c[2]));
                String[] lines = out.strip().split("\n");
                assertEquals(n, lines.length);
                float[] java = new float[n];
                Philox.fill(dist, java, 0, n, c[0], c[1], c[2]);
                int differ = 0, first = -1;
                for (int i = 0; i < n; i++) {
                    if (Integer.parseUnsignedInt(lines[i], 16) != Float.floatToRawIntBits(java[i])) {
                        if (first < 0) first = i;
                        differ++;
                    }
                }
                assertEquals(0, differ, dist + " seed " + c[0] + " stream " + c[1] + " counter " + c[2]
                        + ": " + differ + " values differ, first at " + first);
            }
        }
    }
}
