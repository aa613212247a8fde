package org.gan4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.gan4j.nn.SafeTensors;
import org.gan4j.run.RunDirectory;
import org.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed with SIGKILL at random moments and resumed each time ends exactly where the
 * same run without interruptions ends. Each training run is a child JVM running {@code gan4j
 * train}; a seeded {@link Random} picks when to kill it, anywhere from the moment it names its
 * run directory to the time an uninterrupted run takes to finish, so kills land while it
 * starts or resumes, in training steps, and in sample, plot and config writes. A checkpoint
 * write is milliseconds of those seconds, so every other kill waits, after its random time,
 * for the next checkpoint write to begin. After a kill the run is resumed with {@code train
 * --resume}, and killed again, until a child finishes; then a new run starts. Once the wanted
 * number of kills has been delivered, the last run is left to finish.
 *
 * <p>The uninterrupted run builds every step's graph; the killed ones replay recorded steps, recording
 * again after every resume. "Exactly" means the final checkpoint's bytes: its tensors (networks, optimizer state), its
 * step, noise-generator and data positions and the rest of its metadata. A tensor fingerprint is
 * compared first, so that a failure names what differs. Each step must also appear in metrics.jsonl once, with the uninterrupted run's losses, and no temp file of a killed write may be left.
 *
 * <p>A few kills by default; {@code -Dgan4j.crash.kills=N} asks for more and
 * {@code -Dgan4j.crash.seed=S} for other moments.
 */
class CrashResumeTest {
    private static final int KILLS = Integer.getInteger("gan4j.crash.kills", 4);
    private static final long SEED = Long.getLong("gan4j.crash.seed", 1);
    /** Short, with a checkpoint every third step: a kill at a random moment often finds a write under way. */
    private static final int STEPS = 30;
    private static final List<String> RUN = List.of("--model", "mlp", "--g-hidden", "32,32", "--d-hidden", "32", "--batch-size", "32",
            "--steps", Integer.toString(STEPS), "--checkpoint-every", "3", "--sample-every", "5", "--seed", "4", "--device", "cpu");
    /** SIGKILL's exit status: 128 + 9. */
    private static final int KILLED = 137;
    private static final String FINAL = String.format(Locale.ROOT, "checkpoints/step-%06d.safetensors", STEPS);

    @TempDir
    Path tmp;

    private int children;

    @Test
    void killedAndResumedRunsEndLikeTheUninterruptedRun() throws Exception {
        // the uninterrupted run gives the expected state, and how long a run lasts once started
        Path reference = tmp.resolve("reference");
        List<String> eager = new ArrayList<>(train(reference));
        eager.add("--no-replay");   // the killed runs replay their steps: the same bits, whatever was recorded before a kill
        Child child = Child.start(eager, log());
        long started = child.awaitRunDirectory();
        assertEquals(0, child.process.waitFor(), child.output());
        long runMillis = (System.nanoTime() - started) / 1_000_000;
        Map<String, String> expected = fingerprint(reference.resolve(FINAL));
        List<Map<String, Object>> expectedMetrics = new RunDirectory(reference).readMetrics();
        assertEquals(LongStream.rangeClosed(1, STEPS).boxed().toList(), steps(expectedMetrics), "the uninterrupted run's metrics.jsonl");

        Random random = new Random(SEED);
        int kills = 0, runs = 0;
        List<String> leftovers = new ArrayList<>(), metricsProblems = new ArrayList<>();
        while (kills < KILLS) {
            Path run = tmp.resolve("run-" + ++runs);
            List<String> args = train(run);
            while (true) {
                child = Child.start(args, log());
                // a share of the run's length, so that a seed names the same moments on a faster machine
                long wait = Math.round(random.nextDouble() * runMillis);
                boolean inWrite = kills % 2 == 1;
                child.awaitRunDirectory();
                // once the kills are spent, the run is left to finish
                if (kills == KILLS || !(inWrite ? child.killInCheckpointWrite(run, wait) : child.killAfter(wait))) break;
                kills++;
                System.out.printf("crash test: killed %s %d ms after it named its run directory%s; latest %s, temp files %s%n",
                        run.getFileName(), wait, inWrite ? ", writing a checkpoint" : "", latest(run), tempFiles(run));
                // killed before config.json was written, the run never began: a user would start it again, not resume it
                args = Files.exists(run.resolve("config.json")) ? List.of("train", "--resume", run.toString()) : train(run);
            }
            assertEquals(0, child.process.waitFor(), child.output());
            // the point of it all, checked at once: the resumed run's state is the uninterrupted run's, bit for bit
            assertEquals(expected, fingerprint(run.resolve(FINAL)), run + ": the final checkpoint differs from the uninterrupted run's");
            assertArrayEquals(Files.readAllBytes(reference.resolve(FINAL)), Files.readAllBytes(run.resolve(FINAL)), run + ": the final checkpoint's bytes");
            assertEquals(FINAL.substring("checkpoints/".length()), latest(run), run + ": checkpoints/latest");
            leftovers.addAll(tempFiles(run));
            metricsProblems.addAll(metricsProblems(expectedMetrics, new RunDirectory(run).readMetrics(), run));
        }
        System.out.printf("crash test: %d kills over %d runs (seed %d, %d children; a run lasts %d ms after naming its run directory)%n",
                kills, runs, SEED, children, runMillis);
        assertTrue(leftovers.isEmpty(), "resume removes the temp files of killed writes, yet these are left: " + leftovers);
        // after every run, so that one failure lists what all of them logged
        assertTrue(metricsProblems.isEmpty(), "metrics.jsonl after resumes:\n" + String.join("\n", metricsProblems));
    }

    /** Where a resumed run's metrics.jsonl differs from each step once with the uninterrupted run's losses and D outputs. */
    private static List<String> metricsProblems(List<Map<String, Object>> expected, List<Map<String, Object>> actual, Path run) {
        List<String> problems = new ArrayList<>();
        if (!steps(actual).equals(steps(expected))) problems.add(run.getFileName() + ": steps " + steps(actual));
        for (Map<String, Object> line : actual) {
            long step = ((Number) line.get("step")).longValue();
            if (step < 1 || step > STEPS) continue;
            for (String key : new String[] {"loss_d", "loss_g", "d_real", "d_fake"}) {
                Object want = expected.get((int) step - 1).get(key);
                if (!Objects.equals(want, line.get(key))) {
                    problems.add(run.getFileName() + ": step " + step + " " + key + " " + line.get(key) + ", uninterrupted " + want);
                }
            }
        }
        return problems;
    }

    private static List<Long> steps(List<Map<String, Object>> metrics) {
        return metrics.stream().map(m -> ((Number) m.get("step")).longValue()).toList();
    }

    private static List<String> train(Path run) {
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(RUN);
        args.addAll(List.of("--out", run.toString()));
        return args;
    }

    /** A fresh file for the next child's output. */
    private Path log() {
        return tmp.resolve("child-" + ++children + ".log");
    }

    /** The checkpoint that checkpoints/latest names, or "none". */
    private static String latest(Path run) throws IOException {
        Path pointer = run.resolve("checkpoints/latest");
        return Files.exists(pointer) ? Files.readString(pointer).strip() : "none";
    }

    /** The temp files of atomic writes (hidden: {@code .NAME.RANDOM.tmp}) anywhere in a run that nothing writes to now. */
    private static List<String> tempFiles(Path run) throws IOException {
        try (Stream<Path> files = Files.walk(run)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tmp")).map(f -> run.getParent().relativize(f).toString()).toList();
        }
    }

    /**
     * What a checkpoint must reproduce: each tensor's SHA-256 (shape and float bits) by name,
     * and the step, noise-generator and data positions. One entry per tensor, so that a failure
     * names the tensors that differ.
     */
    private static Map<String, String> fingerprint(Path checkpoint) throws NoSuchAlgorithmException {
        SafeTensors.Contents c = SafeTensors.read(checkpoint);
        Map<String, String> print = new TreeMap<>();
        for (Map.Entry<String, Tensor> e : c.tensors().entrySet()) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Tensor.shapeString(e.getValue().shape()).getBytes(StandardCharsets.UTF_8));
            float[] v = e.getValue().toArray();
            ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(v);
            sha.update(b.array());
            print.put(e.getKey(), HexFormat.of().formatHex(sha.digest()));
        }
        for (String key : new String[] {"step", "rng", "batches"}) print.put("metadata " + key, c.metadata().get(key));
        return print;
    }

    /** gan4j in a JVM of its own, started as the tests' JVM was, its output going to a file. */
    private record Child(Process process, Path log) {
        static Child start(List<String> args, Path log) throws IOException {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), Main.class.getName()));
            command.addAll(args);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new Child(p, log);
        }

        /**
         * Waits until the child has built its run (data read, model made) and is about to write
         * to the run directory, and returns that moment; the JVM's start-up before it is no
         * place for a kill to find anything.
         */
        long awaitRunDirectory() throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!Files.readString(log).contains("run directory ")) {
                if (!process.isAlive() && !Files.readString(log).contains("run directory ")) {
                    fail("the child ended (" + process.exitValue() + ") before naming its run directory: " + output());
                }
                if (System.nanoTime() > deadline) fail("the child named no run directory in 2 minutes: " + output());
                Thread.sleep(2);
            }
            return System.nanoTime();
        }

        /** SIGKILLs the child after {@code millis} ms; false when it finished by itself first. */
        boolean killAfter(long millis) throws InterruptedException, IOException {
            if (process.waitFor(millis, TimeUnit.MILLISECONDS)) return false;
            return kill();
        }

        /**
         * SIGKILLs the child while it writes a checkpoint, or the {@code latest} pointer after it:
         * as soon as, after {@code millis} ms, a new temp file shows in the run's checkpoints
         * folder. A checkpoint write takes milliseconds of a run's seconds, so a kill at a random
         * moment seldom finds one. False when the child finished by itself first.
         */
        boolean killInCheckpointWrite(Path run, long millis) throws InterruptedException, IOException {
            if (process.waitFor(millis, TimeUnit.MILLISECONDS)) return false;
            Path checkpoints = run.resolve("checkpoints");
            Set<String> before = tempNames(checkpoints);
            while (process.isAlive()) {
                if (!before.containsAll(tempNames(checkpoints))) return kill();
                Thread.sleep(Duration.ofNanos(100_000));
            }
            return kill();
        }

        /** The names of the temp files in one folder, read without looking at the files: they come and go meanwhile. */
        private static Set<String> tempNames(Path folder) throws IOException {
            if (!Files.isDirectory(folder)) return Set.of();
            try (Stream<Path> files = Files.list(folder)) {
                return files.map(f -> f.getFileName().toString()).filter(name -> name.endsWith(".tmp")).collect(Collectors.toSet());
            }
        }

        /** False when the child had already finished by itself. */
        private boolean kill() throws InterruptedException, IOException {
            process.destroyForcibly();
            int status = process.waitFor();
            if (status != KILLED && status != 0) fail("the child failed (" + status + ") before it was killed: " + output());
            return status == KILLED;
        }

        String output() throws IOException {
            return log + ":\n" + Files.readString(log);
        }
    }
}
