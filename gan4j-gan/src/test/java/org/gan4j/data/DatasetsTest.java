package org.gan4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
    @TempDir
    Path home;

    private static final Datasets.Downloader OFFLINE = (url, target) -> {
        throw new ConnectException("no route to " + url.getHost());
    };

    @Test
    void offlineErrorNamesFileUrlAndDirectory() {
        Datasets sets = new Datasets(null, home, OFFLINE);
        DatasetException e = assertThrows(DatasetException.class, () -> sets.load("kmnist", Datasets.Split.TRAIN));
        String m = e.getMessage();
        assertTrue(m.startsWith("train-images-idx3-ubyte.gz: "), m);
        assertTrue(m.contains("http://codh.rois.ac.jp/kmnist/dataset/kmnist/train-images-idx3-ubyte.gz"), m);
        assertTrue(m.contains(home.resolve("data").resolve("kmnist").toString()), m);
        try (var left = Files.list(home.resolve("data").resolve("kmnist"))) {
            assertEquals(0, left.count(), "no partial file stays in the cache");
        } catch (IOException io) {
            throw new AssertionError(io);
        }
    }

    @Test
    void dataDirIsSearchedFirst() {
        Path mnist = TestData.mnistDir();
        List<String> asked = new ArrayList<>();
        Datasets sets = new Datasets(mnist, home, (url, target) -> asked.add(url.toString()));
        Dataset test = sets.load("mnist", Datasets.Split.TEST);
        assertEquals(10000, test.size());
        assertTrue(test.describe().contains(mnist.toString()), test.describe());
        assertTrue(asked.isEmpty());
    }

    @Test
    void mnistTestFallsBackToTheShippedCopy() {
        Datasets sets = new Datasets(null, home, OFFLINE);
        Dataset test = sets.load("mnist", Datasets.Split.TEST);
        assertEquals(Datasets.mnistShipped().checksum(), test.checksum());
        assertEquals(10000, sets.load("mnist-test", Datasets.Split.TEST).size());
    }

    @Test
    void downloadIsVerifiedThenMovedIntoTheCache() throws IOException {
        Path source = TestData.mnistDir();
        // a "download" that serves the real files from disk
        Datasets sets = new Datasets(null, home, (url, target) -> {
            String file = url.getPath().substring(url.getPath().lastIndexOf('/') + 1);
            Files.copy(source.resolve(file), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        });
        Path labels = sets.locate("mnist", new Datasets.Remote("train-labels-idx1-ubyte.gz",
                java.net.URI.create("https://example.invalid/train-labels-idx1-ubyte.gz"),
                new Datasets.Checksum("SHA-256", "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c")), List.of());
        assertEquals(home.resolve("data/mnist/train-labels-idx1-ubyte.gz"), labels);
        assertEquals(28881, Files.size(labels));
    }

    @Test
    void checksumMismatchDiscardsTheDownload() {
        Datasets sets = new Datasets(null, home, (url, target) -> Files.writeString(target, "an error page"));
        DatasetException e = assertThrows(DatasetException.class, () -> sets.load("kmnist", Datasets.Split.TEST));
        assertTrue(e.getMessage().contains("is not 5c965bf0a639b31b8f53240b1b52f4d7"), e.getMessage());
        assertFalse(Files.exists(home.resolve("data/kmnist/t10k-images-idx3-ubyte.gz")));
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        DatasetException e = assertThrows(DatasetException.class,
                () -> new Datasets(null, home, OFFLINE).load("imagenet", Datasets.Split.TRAIN));
        assertTrue(e.getMessage().contains("mnist, mnist-test, fashion-mnist, kmnist, cifar10"), e.getMessage());
    }
}
