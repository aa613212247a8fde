package org.gan4j.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Same seed, same bits, whoever computes them: short mlp and dcgan28 trainings give the same
 * state in a JVM that runs them cold and warm, with another thread keeping a core busy, and in
 * a child JVM limited to the C1 compiler (the Vector API's fallback code, where C2 would use
 * intrinsics). Any float reduction whose order the JIT could choose shows up here.
 */
class DeterminismTest {
    private static final List<String> MODELS = List.of("mlp", "dcgan28");

    /** SHA-256 of a model's full training state after a few steps from a fixed seed. */
    static String train(String model) throws NoSuchAlgorithmException {
        ModelOptions o = model.equals("mlp") ? ModelOptions.defaults().withGHidden(64, 128).withDHidden(128) : ModelOptions.defaults().withWidth(8);
        GanModel m = Models.create(model, o, Rng.seeded(1));
        Trainer t = new Trainer(m, GanLoss.nonSaturating(), TrainOptions.defaults(), null, Rng.seeded(2));
        Rng data = Rng.seeded(3);
        for (int step = 0; step < 6; step++) t.step(Tensor.rand(data, 32, 1, 28, 28).mul(2f).sub(1f), null);
        Map<String, String> meta = new HashMap<>();
        Map<String, Tensor> state = new TreeMap<>(t.stateDict(meta));
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
            float[] v = e.getValue().toArray();
            ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(v);
            sha.update(b.array());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The child JVM's side: prints one hash per model. */
    public static void main(String[] args) throws Exception {
        for (String model : MODELS) System.out.println(model + " " + train(model));
    }

    @Test
    void theSameBitsColdWarmUnderLoadAndWithoutC2() throws Exception {
        Map<String, String> cold = new HashMap<>();
        for (String model : MODELS) cold.put(model, train(model));
        for (int i = 0; i < 3; i++) for (String model : MODELS) train(model);   // hot code gets compiled (C2) by now
        AtomicBoolean stop = new AtomicBoolean();
        Thread busy = Thread.ofPlatform().daemon().start(() -> {
            double x = 0;
            while (!stop.get()) x += Math.sqrt(x + 1);
        });
        try {
            for (String model : MODELS) assertEquals(cold.get(model), train(model), model + ": warm, with a core kept busy");
        } finally {
            stop.set(true);
        }
        for (String line : childWithoutC2()) {
            String[] parts = line.split(" ");
            assertEquals(cold.get(parts[0]), parts[1], parts[0] + ": a JVM with C1 only");
        }
    }

    private static List<String> childWithoutC2() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "--add-modules", "jdk.incubator.vector", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), DeterminismTest.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "the child JVM failed: " + out);
        List<String> lines = out.lines().filter(l -> MODELS.contains(l.split(" ")[0])).toList();
        assertEquals(MODELS.size(), lines.size(), out);
        return lines;
    }
}
