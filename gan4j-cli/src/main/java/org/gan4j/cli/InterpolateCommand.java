package org.gan4j.cli;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.gan4j.run.Images;
import org.gan4j.run.Samples;
import org.gan4j.run.TrainedGenerator;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Rng;
import org.gan4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "interpolate", mixinStandardHelpOptions = true,
        description = "Walk the noise space between two seeds: a PNG strip, or an animated GIF when --out ends in .gif.")
final class InterpolateCommand implements Callable<Integer> {
    @Mixin
    SampleSource source;

    @Option(names = "--from", required = true, description = "seed of the first noise vector")
    long from;

    @Option(names = "--to", required = true, description = "seed of the last noise vector")
    long to;

    @Option(names = "--steps", defaultValue = "10", description = "images along the way (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--out", required = true, description = "output .png or .gif")
    Path out;


    @Override
    public Integer call() {
        if (steps < 2 || steps > 1000) throw new CliException("--steps must be between 2 and 1000, got " + steps);
        TrainedGenerator m = source.load();
        Tensor a = m.generator().noise(1, Rng.seeded(from)), b = m.generator().noise(1, Rng.seeded(to));
        Tensor path = Tensor.zeros(0, a.size(1));
        for (int i = 0; i < steps; i++) {
            float t = i / (steps - 1f);
            path = Tensor.concat(0, path, slerp(a, b, t));
        }
        Tensor images;
        try (var ng = Autograd.noGrad()) {
            images = m.generator().generate(path, source.labels(m, steps, m.generator().classes() > 0 ? 0 : null));
        }
        if (out.toString().endsWith(".gif")) {
            List<BufferedImage> frames = new ArrayList<>();
            for (int i = 0; i < steps; i++) frames.add(Samples.picture(images.slice(0, i, i + 1)));
            Images.writeGif(frames, 120, out);
        } else {
            Images.writePng(Images.grid(images, steps), out);
        }
        System.out.println("wrote " + steps + " images from seed " + from + " to seed " + to + " to " + out);
        return 0;
    }

    /** Spherical interpolation: Gaussian noise lives near a sphere, where straight lines cut inside. */
    static Tensor slerp(Tensor a, Tensor b, float t) {
        float[] x = a.toArray(), y = b.toArray();
        double dot = 0, nx = 0, ny = 0;
        for (int i = 0; i < x.length; i++) {
            dot += x[i] * y[i];
            nx += x[i] * x[i];
            ny += y[i] * y[i];
        }
        double omega = Math.acos(Math.max(-1, Math.min(1, dot / Math.sqrt(nx * ny))));
        double wa = omega < 1e-6 ? 1 - t : Math.sin((1 - t) * omega) / Math.sin(omega);
        double wb = omega < 1e-6 ? t : Math.sin(t * omega) / Math.sin(omega);
        float[] z = new float[x.length];
        for (int i = 0; i < x.length; i++) z[i] = (float) (wa * x[i] + wb * y[i]);
        return Tensor.of(z, 1, x.length);
    }
}
