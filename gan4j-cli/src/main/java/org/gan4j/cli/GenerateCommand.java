package org.gan4j.cli;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.gan4j.io.AtomicFile;
import org.gan4j.io.Npy;
import org.gan4j.run.Images;
import org.gan4j.run.Samples;
import org.gan4j.run.TrainedGenerator;
import org.gan4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Draw samples from a trained generator: a grid as PNG or JPEG, or with --format npy the raw samples",
                "(N×C×H×W float32 in [-1, 1]) as a NumPy array for other tools."})
final class GenerateCommand implements Callable<Integer> {
    /** The formats by the names --format and --out's extension may give them. */
    private static final Map<String, String> FORMATS = Map.of("png", "png", "jpg", "jpeg", "jpeg", "jpeg", "npy", "npy");

    @Mixin
    SampleSource source;

    @Option(names = "--count", description = "number of samples: up to 10,000 in a grid, 50,000 as .npy (default: 64, or as many as --latents holds)")
    Integer count;

    @Option(names = "--out", required = true, description = "output file: a grid as .png or .jpg/.jpeg, or a .npy array")
    Path out;

    @Option(names = "--format", description = "png, jpeg (or jpg) or npy (default: the one --out's extension names)")
    String format;

    @Option(names = "--seed", defaultValue = "0", description = "noise seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--latents", paramLabel = "Z.npy", description = "draw from this noise batch [N, latent size] instead of --seed's")
    Path latents;

    @Option(names = "--labels", paramLabel = "Y.npy", description = "classes of the --latents rows (conditional models; integers [N])")
    Path labels;

    @Override
    public Integer call() {
        String kind = format();
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
            // raw samples for another tool's FID take its usual 50,000; a grid of more than 100×100 shows nothing more
            int most = kind.equals("npy") ? 50_000 : 10_000;
            if (n < 1 || n > most) throw new CliException("--count must be between 1 and " + most + " for " + kind + ", got " + n);
            samples = m.sample(n, seed, source.labels(m, n, null));
        }
        switch (kind) {
            case "npy" -> Npy.write(out, samples);
            case "png" -> Images.writePng(Samples.picture(samples), out);
            default -> writeJpeg(Samples.picture(samples));
        }
        System.out.println("wrote " + samples.size(0) + " samples from step " + m.step() + " to " + out);
        return 0;
    }

    /** png, jpeg or npy: --format's, which must agree with a known extension of --out, else the extension's. */
    private String format() {
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        String ext = name.lastIndexOf('.') < 0 ? "" : name.substring(name.lastIndexOf('.') + 1);
        String named = FORMATS.get(ext), chosen = format == null ? null : FORMATS.get(format.toLowerCase(Locale.ROOT));
        if (format != null && chosen == null) throw new CliException("--format must be png, jpeg or npy, got '" + format + "'");
        if (chosen != null && named != null && !chosen.equals(named)) throw new CliException("--format " + format + " but --out " + out + " names " + named);
        if (chosen == null && named == null) throw new CliException("--out " + out + ": end it in .png, .jpg or .npy (or give --format)");
        return chosen != null ? chosen : named;
    }

    private void writeJpeg(BufferedImage picture) {
        // the grid is RGB without alpha, which is what ImageIO's JPEG writer takes
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(picture, "jpeg", bytes)) throw new IllegalStateException("no JPEG writer for a " + picture.getType() + " image");
            AtomicFile.write(out, bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
