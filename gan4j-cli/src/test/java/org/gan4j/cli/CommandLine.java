package org.gan4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;

/** Runs gan4j's command line inside a test, capturing what it prints. */
record CommandLine(int status, String out, String err) {

    /** A tiny run of {@code model} (an MLP one) in {@code dir}, for the commands that read a trained run. */
    static void trainTiny(String model, java.nio.file.Path dir) {
        CommandLine t = run("train", "--model", model, "--g-hidden", "16,16", "--d-hidden", "16", "--steps", "3", "--batch-size", "8",
                "--device", "cpu", "--out", dir.toString());
        if (t.status() != 0) throw new AssertionError("training " + model + " failed: " + t.err());
    }

    static CommandLine run(String... args) {
        return capture(() -> Main.run(args));
    }

    /** Runs a command line's entry point (returning the exit status), capturing what it prints. */
    static CommandLine capture(IntSupplier command) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int status = command.getAsInt();
            return new CommandLine(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
