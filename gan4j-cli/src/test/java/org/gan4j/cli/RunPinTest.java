package org.gan4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.gan4j.nn.SafeTensors;
import org.gan4j.tensor.Tensor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pins the bits of short training runs: the final checkpoint's tensors (networks, weight average,
 * optimizer state) and its step, noise-generator and data positions. A change that should not
 * alter training (a refactor, a faster kernel with the same arithmetic) must leave these hashes
 * as they are; a change of arithmetic updates them on purpose, saying why. (Last changed when
 * tanh became gan4j's own vector kernel, the same bits in every JIT tier; dcgan28's default row was
 * added when DCGAN's initialisation moved to every layer, the former recipe's row keeping its hash.)
 */
class RunPinTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "mlp     | --g-hidden=16,32 --d-hidden=16                   | bcea9da9449dcd5398aed6b9f1828df539b2aca3ba44d476e33f71c27227bcff",
            "dcgan28 | --width=4 --init=dcgan-conv                  | 86e640c1344247892d7f8e7a5209171b9a8d9a5ded4b9f4ee1bd3dac7e090a31",
            "dcgan28 | --width=4                                  | bdd4885a63af74869ee40e3efcbac6821567e4457b454ce94fc664a00012d092"})
    void shortRunEndsWithThePinnedCheckpoint(String model, String flags, String expected) throws Exception {
        Path run = tmp.resolve(model);
        String[] args = ("train --model " + model + " " + flags.replace("=", " ") + " --steps 12 --batch-size 16 --ema 0.9"
                + " --sample-every 6 --checkpoint-every 6 --seed 5 --out " + run).split(" +");
        CommandLine cli = CommandLine.run(args);
        assertEquals(0, cli.status(), cli.err());
        assertEquals(expected, checkpointHash(run.resolve("checkpoints/step-000012.safetensors")), model);
    }

    /** SHA-256 over the tensors in name order (name, shape, float bits) and the positions that resume needs. */
    static String checkpointHash(Path checkpoint) throws NoSuchAlgorithmException {
        SafeTensors.Contents c = SafeTensors.read(checkpoint);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (Map.Entry<String, Tensor> e : new TreeMap<>(c.tensors()).entrySet()) {
            sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
            sha.update(Tensor.shapeString(e.getValue().shape()).getBytes(StandardCharsets.UTF_8));
            float[] v = e.getValue().toArray();
            ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(v);
            sha.update(b.array());
        }
        for (String key : new String[] {"step", "rng", "batches"}) sha.update(c.metadata().get(key).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha.digest());
    }
}
