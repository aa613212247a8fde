package org.gan4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.gan4j.io.Npy;
import org.gan4j.run.Images;
import org.gan4j.run.Samples;
import org.gan4j.run.TrainedGenerator;
import org.gan4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Draw samples from a trained generator: a PNG grid, or with --format npy the raw samples",
                "(N×C×H×W float32 in [-1, 1]) as a NumPy array for other tools."})
final class GenerateCommand implements Callable<Integer> {
    @Mixin
    SampleSource source;

    @Option(names = "--count", description = "number of samples (default: 64, or as many as --latents holds)")
    Integer count;

    @Option(names = "--out", required = true, description = "output file: a PNG grid, or a .npy array")
    Path out;

    @Option(names = "--format", description = "png or npy (default: npy when --out ends in .npy, else png)")
    String format;

    @Option(names = "--seed", defaultValue = "0", description = "noise seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--latents", paramLabel = "Z.npy", description = "draw from this noise batch [N, latent size] instead of --seed's")
    Path latents;

    @Option(names = "--labels", paramLabel = "Y.npy", description = "classes of the --latents rows (conditional models; integers [N])")
    Path labels;

    @Override
    public Integer call() {
        String kind = format != null ? format : out.getFileName().toString().endsWith(".npy") ? "npy" : "png";
        if (!kind.equals("png") && !kind.equals("npy")) throw new CliException("--format must be png or npy, got '" + format + "'");
        if (labels != null && latents == null) throw new CliException("--labels goes with --latents");
        if (latents != null && source.chosenClass != null) throw new CliException("--class and --latents: give the classes with --labels");
        TrainedGenerator m = source.load();
        Tensor samples;
        if (latents != null) {
            Tensor z = Npy.read(latents);
            if (count != null && count != z.size(0)) throw new CliException("--count " + count + " but " + latents + " holds " + z.size(0) + " noise vectors");
            samples = m.generate(z, labels != null ? Npy.readInts(labels) : null);
        } else {
            int n = count != null ? count : 64;
            if (n < 1 || n > 10_000) throw new CliException("--count must be between 1 and 10000, got " + n);
            samples = m.sample(n, seed, source.labels(m, n, null));
        }
        if (kind.equals("npy")) {
            Npy.write(out, samples);
        } else {
            Images.writePng(Samples.picture(samples), out);
        }
        System.out.println("wrote " + samples.size(0) + " samples from step " + m.step() + " to " + out);
        return 0;
    }
}
