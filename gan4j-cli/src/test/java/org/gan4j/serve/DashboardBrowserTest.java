package org.gan4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.gan4j.cli.Main;
import org.gan4j.cli.TensorBoardEventsTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: {@code gan4j train --dashboard} runs in its own process,
 * beside a finished run and a diverged one, headless Chromium (Debian's chromium and chromium-driver) opens the
 * page and must see the runs overlaid, the alarm of a run that diverged, and the loss chart
 * gain points and the sample grid change while the live run trains. The screenshot stays in target/dashboard-browser-test.png.
 */
@Timeout(120)
class DashboardBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium"), CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOT = Path.of("target/dashboard-browser-test.png");
    /** Selenium warns that it has no DevTools bindings for Debian's newer Chromium; this test uses WebDriver alone. */
    private static final Logger DEVTOOLS_LOG = Logger.getLogger("org.openqa.selenium.devtools");

    @TempDir
    Path tmp;

    @Test
    void theChartsAndSamplesFollowATrainingRun() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "headless Chromium is not installed (apt-get install chromium chromium-driver): the browser test cannot run");
        assertEquals(0, Main.run("train", "--model", "mlp", "--g-hidden", "32", "--d-hidden", "32", "--batch-size", "32",
                "--steps", "60", "--lr-g", "1e-3", "--device", "cpu", "--out", tmp.resolve("runs/earlier").toString()));
        assertEquals(1, Main.run("train", "--model", "mlp", "--g-hidden", "32", "--d-hidden", "32", "--batch-size", "32",
                "--steps", "20", "--lr-g", "1e12", "--lr-d", "1e12", "--d-steps", "2", "--on-nan", "stop", "--device", "cpu",
                "--out", tmp.resolve("runs/diverged").toString()), "a run that diverges at once, for its alarm");   // at step 2: one line logged
        Process training = startTraining(tmp.resolve("runs/live"));
        ChromeDriver browser = null;
        try {
            String url = dashboardUrl(training);
            browser = chromium();
            browser.get(url);
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(40), Duration.ofMillis(100));
            JavascriptExecutor js = browser;
            String points = "const c = Chart.getChart('chart-losses'); const d = c && c.data.datasets.find(d => d.run === 'live');"
                    + " return d ? d.data.length : 0;";

            long first = wait.until(d -> ((Number) js.executeScript(points)).longValue() > 0 ? ((Number) js.executeScript(points)).longValue() : null);
            wait.until(d -> ((Number) js.executeScript(points)).longValue() >= first + 20);

            String sample = wait.until(d -> d.findElements(By.cssSelector("figure[data-run='live'] img")).isEmpty() ? null
                    : d.findElement(By.cssSelector("figure[data-run='live'] img")).getDomAttribute("src"));
            String later = wait.until(d -> {
                String src = d.findElement(By.cssSelector("figure[data-run='live'] img")).getDomAttribute("src");
                return src.equals(sample) ? null : src;
            });
            assertTrue(later.matches("runs/live/samples/step-\\d+\\.png"), later);
            wait.until(d -> (Boolean) js.executeScript("const i = document.querySelector('figure[data-run=\"live\"] img'); return i.complete && i.naturalWidth > 100;"));

            String row = browser.findElement(By.cssSelector("tr[data-run='live']")).getText();
            assertTrue(row.contains("mlp") && row.matches("(?s).*\\d+ / 100000.*"), row);
            assertEquals("live", browser.findElement(By.id("connection")).getText());
            assertEquals(3, browser.findElements(By.cssSelector("#runs tr")).size());
            assertEquals(6L, js.executeScript("return Chart.getChart('chart-outputs').data.datasets.length;"), "D(x) and D(G(z)) of each run");
            String alarm = browser.findElement(By.cssSelector("#alarms li[data-run='diverged']")).getText();
            assertTrue(alarm.contains("training diverged"), alarm);

            Files.createDirectories(SCREENSHOT.getParent());
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
            assertTrue(Files.size(SCREENSHOT) > 10_000);
        } finally {
            if (browser != null) browser.quit();
            training.destroyForcibly();   // SIGKILL: no shutdown hook, no close()
            training.waitFor(10, TimeUnit.SECONDS);
        }
        // the killed run's TensorBoard file holds every step metrics.jsonl has, but perhaps the very last
        Path live = tmp.resolve("runs/live");
        long logged = Files.readAllLines(live.resolve("metrics.jsonl")).size();
        Path eventFile;
        try (var files = Files.list(live)) {
            eventFile = files.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).findFirst().orElseThrow();
        }
        long scalarEvents = TensorBoardEventsTest.read(Files.readAllBytes(eventFile), true).stream()
                .filter(e -> e.getSummary().getValueCount() > 0 && e.getSummary().getValue(0).hasSimpleValue()).count();
        assertTrue(scalarEvents >= logged - 1 && scalarEvents <= logged, scalarEvents + " scalar events for " + logged + " logged steps");
    }

    /** A small MLP GAN that keeps training (the test stops it), with a sample grid every 25 steps. */
    private static Process startTraining(Path run) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                "org.gan4j.cli.Main", "train", "--model", "mlp", "--g-hidden", "64", "--d-hidden", "64", "--batch-size", "32",
                "--steps", "100000", "--sample-every", "25", "--checkpoint-every", "100000", "--device", "cpu",
                "--out", run.toString(), "--dashboard", "--port", "0")
                .redirectErrorStream(true).start();
    }

    /** Reads the training's output until it names the dashboard's address (and keeps draining it after). */
    private static String dashboardUrl(Process training) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(training.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            StringBuilder seen = new StringBuilder();
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    if (!url.isDone()) seen.append(line).append('\n');
                    if (line.startsWith("dashboard at ")) url.complete(line.substring("dashboard at ".length()).strip());
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
            url.completeExceptionally(new AssertionError("training ended without a dashboard:\n" + seen));
        });
        return url.get(60, TimeUnit.SECONDS);
    }

    private static ChromeDriver chromium() {
        DEVTOOLS_LOG.setLevel(Level.SEVERE);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-default-apps", "--disable-extensions",
                "--disable-sync", "--no-first-run", "--metrics-recording-only", "--window-size=1400,1500"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
