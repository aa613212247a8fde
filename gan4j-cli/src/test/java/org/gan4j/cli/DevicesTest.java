package org.gan4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gan4j.tensor.BackendUnavailableException;
import org.gan4j.tensor.Backends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --device on a machine without a GPU: cuda fails with the reason, auto falls back to the CPU and says why. */
class DevicesTest {
    @TempDir
    Path tmp;

    @AfterEach
    void restoreCpu() {
        Backends.setDefault(Backends.cpu());
    }

    /** Why the CUDA backend cannot start here, or null when it can. */
    private static String cudaUnavailable() {
        try {
            Backends.get("cuda");
            return null;
        } catch (BackendUnavailableException e) {
            return e.getMessage();
        }
    }

    @Test
    void cudaIsOnTheClassPath() {
        assertTrue(Backends.available().contains("cuda"), Backends.available().toString());
    }

    @Test
    void cudaWithoutAGpuFailsWithTheReason() {
        String reason = cudaUnavailable();
        assumeTrue(reason != null, "this machine has a working GPU");
        assertTrue(reason.contains("libcuda.so.1"), reason);
        var e = assertThrows(CliException.class, () -> Devices.select("cuda"));
        assertEquals("--device cuda: " + reason, e.getMessage());
        // and through the command line: one line naming the driver library, no run directory
        CommandLine train = CommandLine.run("train", "--model", "mlp2d", "--data", "ring8", "--device", "cuda", "--steps", "2",
                "--out", tmp.resolve("run").toString());
        assertEquals(1, train.status());
        assertEquals("gan4j: --device cuda: " + reason, train.err().strip());
        assertFalse(Files.exists(tmp.resolve("run")));
    }

    @Test
    void autoWithoutAGpuFallsBackToTheCpuSayingWhy() {
        String reason = cudaUnavailable();
        assumeTrue(reason != null, "this machine has a working GPU");
        PrintStream saved = System.err;
        var err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            Devices.select("auto");
        } finally {
            System.setErr(saved);
        }
        assertEquals("cpu", Backends.defaultBackend().name());
        assertEquals("device: cpu (no GPU: " + reason + ")", err.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void unknownDeviceIsRefused() {
        var e = assertThrows(CliException.class, () -> Devices.select("tpu"));
        assertEquals("--device must be cpu, cuda or auto, got 'tpu'", e.getMessage());
    }
}
