package org.gan4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.gan4j.export.OnnxExport;
import org.gan4j.io.AtomicFile;
import org.gan4j.run.Provenance;
import org.gan4j.run.TrainedGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a trained generator in a format other tools run.",
                "onnx: inputs z [batch, latent] float (and label [batch] int64 for class-conditional models), output images."})
final class ExportCommand implements Callable<Integer> {
    @Mixin
    TrainedRun run;

    @Option(names = "--format", defaultValue = "onnx", description = "onnx (opset " + OnnxExport.OPSET + ") (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--out", required = true, description = "output file, e.g. G.onnx")
    Path out;


    @Override
    public Integer call() {
        if (!format.equals("onnx")) throw new CliException("--format: unknown format '" + format + "' (known: onnx)");
        TrainedGenerator m = run.load();
        String description = "gan4j " + m.config().model() + " generator" + (run.ema ? " (weight average)" : "") + ", step " + m.step() + " of " + run.dir;
        byte[] bytes = OnnxExport.of(m.generator(), description, Provenance.VERSION).toByteArray();
        try {
            AtomicFile.write(out, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
        System.out.println("wrote " + m.config().model() + " generator (step " + m.step() + ") as ONNX opset " + OnnxExport.OPSET + " to " + out
                + " (" + bytes.length + " bytes)");
        return 0;
    }
}
