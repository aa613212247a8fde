package org.gan4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gan4j.io.AtomicFile;

/**
 * Datasets by name. A file is looked for in the caller's data directory, then in the cache
 * {@code $GAN4J_HOME/data/<name>} (GAN4J_HOME defaults to ~/.gan4j), then where a system
 * package puts it; failing all three it is downloaded into the cache, verified and moved into
 * place atomically. MNIST's test digits ship inside gan4j and never need the network.
 */
public final class Datasets {

    public enum Split { TRAIN, TEST }

    /** Fetches {@code url} into {@code target}; any IOException means "offline" to the caller. */
    @FunctionalInterface
    public interface Downloader {
        void download(URI url, Path target) throws IOException;
    }

    /** A checksum published for a file: the algorithm (as MessageDigest names it) and the hex digest. */
    public record Checksum(String algorithm, String hex) {
        static Checksum sha256(String hex) {
            return new Checksum("SHA-256", hex);
        }

        static Checksum md5(String hex) {
            return new Checksum("MD5", hex);
        }

        boolean matches(Path file) throws IOException {
            MessageDigest md = Source.digest(algorithm);
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest()).equalsIgnoreCase(hex);
        }
    }

    /** A file a publisher serves, and the sum that proves a download is that file. */
    public record Remote(String file, URI url, Checksum checksum) {
        static Remote of(String base, String file, Checksum checksum) {
            return new Remote(file, URI.create(base + file), checksum);
        }
    }

    /** An IDX dataset: images and labels per split. */
    private record IdxSet(List<Remote> train, List<Remote> test, List<Path> systemDirs) {}

    private static final String MNIST = "https://ossci-datasets.s3.amazonaws.com/mnist/";
    private static final String FASHION = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";
    private static final String KMNIST = "http://codh.rois.ac.jp/kmnist/dataset/kmnist/";

    private static final Map<String, IdxSet> IDX = Map.of(
            // SHA-256 sums of the official files: the t10k and train-labels sums equal those of the
            // official copies measured for gan4j; train-images' sum is the one TensorFlow's and many
            // other loaders publish. The mirror is the one torchvision uses; yann.lecun.com is the original.
            "mnist", new IdxSet(
                    List.of(Remote.of(MNIST, "train-images-idx3-ubyte.gz", Checksum.sha256("440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609")),
                            Remote.of(MNIST, "train-labels-idx1-ubyte.gz", Checksum.sha256("3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"))),
                    List.of(Remote.of(MNIST, "t10k-images-idx3-ubyte.gz", Checksum.sha256("8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6")),
                            Remote.of(MNIST, "t10k-labels-idx1-ubyte.gz", Checksum.sha256("f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"))),
                    List.of()),
            // MD5 sums from torchvision's datasets/mnist.py (FashionMNIST.resources), matching Zalando's README.
            "fashion-mnist", new IdxSet(
                    List.of(Remote.of(FASHION, "train-images-idx3-ubyte.gz", Checksum.md5("8d4fb7e6c68d591d4c3dfef9ec88bf0d")),
                            Remote.of(FASHION, "train-labels-idx1-ubyte.gz", Checksum.md5("25c81989df183df01b3e8a0aad5dffbe"))),
                    List.of(Remote.of(FASHION, "t10k-images-idx3-ubyte.gz", Checksum.md5("bef4ecab320f06d8554ea6380940ec79")),
                            Remote.of(FASHION, "t10k-labels-idx1-ubyte.gz", Checksum.md5("bb300cfdad3c16e7a12a480ee83cd310"))),
                    // Debian's dataset-fashion-mnist package
                    List.of(Path.of("/usr/share/datasets/fashion-mnist"))),
            // MD5 sums from torchvision's datasets/mnist.py (KMNIST.resources).
            "kmnist", new IdxSet(
                    List.of(Remote.of(KMNIST, "train-images-idx3-ubyte.gz", Checksum.md5("bdb82020997e1d708af4cf47b453dcf7")),
                            Remote.of(KMNIST, "train-labels-idx1-ubyte.gz", Checksum.md5("e144d726b3acfaa3e44228e80efcd344"))),
                    List.of(Remote.of(KMNIST, "t10k-images-idx3-ubyte.gz", Checksum.md5("5c965bf0a639b31b8f53240b1b52f4d7")),
                            Remote.of(KMNIST, "t10k-labels-idx1-ubyte.gz", Checksum.md5("7320c461ea6c1c855c0b718fb2a4b134"))),
                    List.of()));

    // MD5 published on https://www.cs.toronto.edu/~kriz/cifar.html for the binary version.
    private static final Remote CIFAR10 = new Remote("cifar-10-binary.tar.gz",
            URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"), Checksum.md5("c32a1d4ab5d03f1284b67883e8d87530"));

    private static final String SHIPPED = "/org/gan4j/data/mnist/";

    private final Path dataDir;
    private final Path home;
    private final Downloader downloader;

    /**
     * @param dataDir    a directory the user named (e.g. --data-dir), searched first; may be null
     * @param home       gan4j's home; the cache is {@code home/data/<name>}
     * @param downloader how files are fetched when no copy is found
     */
    public Datasets(Path dataDir, Path home, Downloader downloader) {
        this.dataDir = dataDir;
        this.home = home;
        this.downloader = downloader;
    }

    /** Looks in {@code dataDir}, then $GAN4J_HOME (or ~/.gan4j), and downloads over HTTP. */
    public static Datasets standard(Path dataDir) {
        String env = System.getenv("GAN4J_HOME");
        Path home = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".gan4j");
        return new Datasets(dataDir, home, Datasets::httpDownload);
    }

    public static List<String> names() {
        return List.of("mnist", "mnist-test", "fashion-mnist", "kmnist", "cifar10");
    }

    /** MNIST's 10,000 official test digits, read from inside gan4j: works offline. */
    public static Dataset mnistShipped() {
        return Idx.read("mnist-test", Source.resource(SHIPPED + "t10k-images-idx3-ubyte.gz"),
                Source.resource(SHIPPED + "t10k-labels-idx1-ubyte.gz"));
    }

    public Dataset load(String name, Split split) {
        if (name.equals("mnist-test")) return mnistShipped();
        if (name.equals("cifar10")) return cifar10(split);
        IdxSet set = IDX.get(name);
        if (set == null) throw new DatasetException("unknown dataset '" + name + "'; known: " + String.join(", ", names()));
        List<Remote> files = split == Split.TRAIN ? set.train() : set.test();
        String label = name + "-" + split.name().toLowerCase(Locale.ROOT);
        // The shipped digits are byte-identical to the official test files (same SHA-256).
        if (name.equals("mnist") && split == Split.TEST && findLocal(name, files.getFirst(), set.systemDirs()) == null) {
            return mnistShipped();
        }
        return Idx.read(label, locate(name, files.get(0), set.systemDirs()), locate(name, files.get(1), set.systemDirs()));
    }

    private Dataset cifar10(Split split) {
        List<String> members = split == Split.TRAIN ? Cifar10.TRAIN_FILES : Cifar10.TEST_FILES;
        String label = "cifar10-" + split.name().toLowerCase(Locale.ROOT);
        for (Path dir : searchDirs("cifar10", List.of())) {
            for (Path d : List.of(dir, dir.resolve("cifar-10-batches-bin"))) {
                if (members.stream().allMatch(m -> Files.isRegularFile(d.resolve(m)))) {
                    return Cifar10.read(label, members.stream().map(d::resolve).toArray(Path[]::new));
                }
            }
        }
        Path archive = locate("cifar10", CIFAR10, List.of());
        Path out = cache("cifar10").resolve("cifar-10-batches-bin");
        Tar.extract(archive, out, m -> m.endsWith(".bin"));
        return Cifar10.read(label, members.stream().map(out::resolve).toArray(Path[]::new));
    }

    /** Where a file lives: the first copy found, else a verified download into the cache. */
    Path locate(String name, Remote remote, List<Path> systemDirs) {
        Path found = findLocal(name, remote, systemDirs);
        return found != null ? found : download(name, remote);
    }

    /** A copy of the file, gzipped or not (IDX files are often kept unpacked), or null. */
    private Path findLocal(String name, Remote remote, List<Path> systemDirs) {
        String raw = remote.file().endsWith(".gz") ? remote.file().substring(0, remote.file().length() - 3) : remote.file();
        for (Path dir : searchDirs(name, systemDirs)) {
            for (String f : List.of(remote.file(), raw)) {
                if (Files.isRegularFile(dir.resolve(f))) return dir.resolve(f);
            }
        }
        return null;
    }

    private List<Path> searchDirs(String name, List<Path> systemDirs) {
        List<Path> dirs = new ArrayList<>();
        if (dataDir != null) dirs.add(dataDir);
        dirs.add(cache(name));
        dirs.addAll(systemDirs);
        return dirs;
    }

    private Path cache(String name) {
        return home.resolve("data").resolve(name);
    }

    /** Downloaded and checked beside the target, then moved into place atomically: never a half file in the cache. */
    private Path download(String name, Remote remote) {
        Path dir = cache(name);
        Path target = dir.resolve(remote.file());
        try {
            Files.createDirectories(dir);
            AtomicFile.writeFile(target, tmp -> {
                downloader.download(remote.url(), tmp);
                if (!remote.checksum().matches(tmp)) {
                    throw new DatasetException(remote.file() + ": downloaded from " + remote.url() + " but its "
                            + remote.checksum().algorithm() + " is not " + remote.checksum().hex() + "; the file was discarded");
                }
            });
            return target;
        } catch (IOException e) {
            throw new DatasetException(remote.file() + ": not found and cannot be downloaded from " + remote.url()
                    + " (" + e + "). Put a copy in " + dir + (dataDir != null ? " or " + dataDir : "")
                    + " and run again.", e);
        }
    }

    private static void httpDownload(URI url, Path target) throws IOException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest request = HttpRequest.newBuilder(url).GET().build();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(target)) {
                if (response.statusCode() != 200) throw new IOException("HTTP " + response.statusCode());
                in.transferTo(out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
