package org.gan4j.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class DashboardTest {
    private static final String SECRET = "not for the web";
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 42};

    @TempDir
    Path tmp;
    Path runs;
    Dashboard dashboard;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void runsFolder() throws IOException {
        runs = tmp.resolve("runs");
        for (String run : List.of("a", "b")) {
            Path dir = runs.resolve(run);
            Files.createDirectories(dir.resolve("samples"));
            Files.writeString(dir.resolve("config.json"), "{\"model\":\"mlp\",\"steps\":100,\"batchSize\":8,\"lrG\":" + (run.equals("a") ? 1e-3 : 2e-4) + "}");
            Files.writeString(dir.resolve("metrics.jsonl"), "{\"step\":1,\"loss_d\":1.4,\"loss_g\":0.7,\"d_real\":0.5,\"d_fake\":0.5}\n"
                    + "{\"step\":2,\"loss_d\":1.3,\"loss_g\":0.8,\"d_real\":0.6,\"d_fake\":0.4,\"fid\":12.5}\n");
            Files.write(dir.resolve("samples/step-000002.png"), PNG);
        }
        Files.writeString(runs.resolve("a/alarms.jsonl"), "{\"step\":2,\"kind\":\"loss\",\"message\":\"training diverged\"}\n");
        Files.writeString(tmp.resolve("secret.txt"), SECRET);
        Files.createDirectories(runs.resolve("not-a-run"));
        Files.writeString(runs.resolve("not-a-run/notes.txt"), SECRET);
        Files.createSymbolicLink(runs.resolve("a/samples/escape.png"), tmp.resolve("secret.txt"));
        dashboard = Dashboard.start(runs, "127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        dashboard.close();
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(dashboard.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** GETs the target exactly as given (no client-side normalization). */
    private RawHttp.Response raw(String target) throws IOException {
        return RawHttp.get(dashboard.uri().getPort(), target);
    }

    @Test
    void servesThePageChartJsAndRunFiles() throws Exception {
        HttpResponse<byte[]> page = get("/");
        assertEquals(200, page.statusCode());
        String html = new String(page.body(), StandardCharsets.UTF_8);
        assertTrue(html.contains("<script src=\"chart.js\">") && html.contains("dashboard.js"), html);
        HttpResponse<byte[]> chart = get("/chart.js");
        assertEquals(200, chart.statusCode());
        assertTrue(new String(chart.body(), StandardCharsets.UTF_8).contains("Chart.js v4"), "the WebJar's Chart.js");
        assertTrue(new String(get("/dashboard.js").body(), StandardCharsets.UTF_8).contains("EventSource"));
        HttpResponse<byte[]> png = get("/runs/b/samples/step-000002.png");
        assertEquals(200, png.statusCode());
        assertEquals("image/png", png.headers().firstValue("Content-Type").orElseThrow());
        assertArrayEquals(PNG, png.body());
        assertEquals(404, get("/runs/b/samples/step-999999.png").statusCode());
        assertEquals(404, get("/nothing-here").statusCode());
        var post = http.send(HttpRequest.newBuilder(dashboard.uri()).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals("only GET", post.body().strip());
    }

    @Test
    void nothingOutsideTheRunsIsServed() throws Exception {
        List<String> attempts = List.of("/runs/../secret.txt", "/runs/a/../../secret.txt", "/runs/%2e%2e/secret.txt",
                "/runs/a/%2e%2e/%2e%2e/secret.txt", "/runs/a/..%2f..%2fsecret.txt", "/runs/a/..%5c..%5csecret.txt",
                "/runs/a/samples/..\\..\\..\\secret.txt", "/runs//secret.txt", "/runs/a//../../secret.txt", "/runs/a/%00/x",
                "/runs/a/%zz", "/runs/not-a-run/notes.txt", "/runs/a/samples/escape.png", "/../secret.txt", "/runs/" + tmp.resolve("secret.txt"),
                "/runs/a/samples/./../../../secret.txt");
        for (String target : attempts) {
            RawHttp.Response answer = raw(target);
            assertTrue(answer.status() == 400 || answer.status() == 404, target + " -> " + answer.status());
            assertFalse(answer.text().contains(SECRET), target + " leaked the file");
        }
        assertEquals(400, raw("/runs/a/../a/config.json").status(), "'..' is refused even when it stays inside");
        assertEquals(200, raw("/runs/a/config.json").status());
    }

    @Test
    void linksAreFollowedOnlyWhileTheyStayInsideTheirRun() throws Exception {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("config.json"), "{\"model\":\"mlp\"}");
        Files.writeString(elsewhere.resolve("secret.txt"), SECRET);
        Files.createSymbolicLink(runs.resolve("linkedrun"), elsewhere);
        Files.createSymbolicLink(runs.resolve("b/metrics-copy.jsonl"), elsewhere.resolve("secret.txt"));
        Files.createSymbolicLink(runs.resolve("b/latest.png"), runs.resolve("b/samples/step-000002.png"));
        for (String target : List.of("/runs/linkedrun/secret.txt", "/runs/linkedrun/config.json", "/runs/b/metrics-copy.jsonl")) {
            RawHttp.Response answer = raw(target);
            assertEquals(404, answer.status(), target + " -> " + answer.text());
            assertFalse(answer.text().contains(SECRET), target + " leaked the file");
        }
        assertEquals(List.of("a", "b"), new RunsFolder(runs).runs(), "a linked run directory is not a run of this folder");
        assertArrayEquals(PNG, get("/runs/b/latest.png").body(), "a link that stays inside its run is served");

        // the folder the user names may itself be a link
        Path named = Files.createSymbolicLink(tmp.resolve("runs-link"), runs);
        try (Dashboard other = Dashboard.start(named, "127.0.0.1", 0)) {
            var config = http.send(HttpRequest.newBuilder(other.uri().resolve("/runs/a/config.json")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, config.statusCode());
        }
    }

    @Test
    void aRequestThatDoesNotParseGetsAJsonError() throws Exception {
        for (String target : List.of("/runs/a/%zz", "/runs/a/config.json%", "/events?since=%g1", "/runs/a/con fig.json", "/runs/a/\u00e9", "/chart.js?a=|")) {
            RawHttp.Response answer = raw(target);
            assertEquals(400, answer.status(), target);
            assertTrue(answer.json().get("error").asText().startsWith("malformed request"), target + " -> " + answer.text());
        }
        try (RawHttp http = new RawHttp(dashboard.uri().getPort())) {   // the page and its script on one connection
            assertEquals(200, http.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n").read().status());
            RawHttp.Response head = http.send("HEAD /dashboard.js HTTP/1.1\r\nHost: localhost\r\n\r\n").head();
            assertEquals(200, head.status());
            assertEquals(get("/dashboard.js").body().length, Integer.parseInt(head.headers().get("content-length")));
            assertEquals(404, http.send("GET /runs/a/nothing.png HTTP/1.1\r\nHost: localhost\r\n\r\n").read().status());
        }
    }

    @Test
    void listensOnlyWhereItIsTold() throws Exception {
        assertEquals("127.0.0.1", dashboard.uri().getHost());
        InetAddress external = NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress()).findFirst().orElse(null);
        if (external != null) {
            try (Socket s = new Socket()) {
                assertThrows(IOException.class, () -> s.connect(new InetSocketAddress(external, dashboard.uri().getPort()), 2000),
                        "reachable on " + external);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Dashboard.start(tmp.resolve("missing"), "127.0.0.1", 0));
    }

    @Test
    void theEventStreamSendsRunsMetricsSamplesAlarmsAndThenWhatIsNew() throws Exception {
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(dashboard.uri().resolve("/events")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals("text/event-stream; charset=utf-8", stream.headers().firstValue("Content-Type").orElseThrow());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            List<String> first = events(in, 7);
            Set<String> kinds = first.stream().map(e -> e.substring(0, e.indexOf(' '))).collect(Collectors.toSet());
            assertEquals(Set.of("run", "metrics", "sample", "alarm"), kinds, first.toString());
            assertTrue(first.stream().anyMatch(e -> e.startsWith("run ") && e.contains("\"run\":\"a\"") && e.contains("\"lrG\":0.001")), first.toString());
            assertTrue(first.stream().anyMatch(e -> e.startsWith("metrics ") && e.contains("\"fid\":12.5")), first.toString());
            assertTrue(first.stream().anyMatch(e -> e.startsWith("sample ") && e.contains("runs/a/samples/step-000002.png")), first.toString());
            assertTrue(first.stream().anyMatch(e -> e.startsWith("alarm ") && e.contains("training diverged")), first.toString());

            // a run writes on: half a line waits for its newline, a new sample replaces the old
            Path metrics = runs.resolve("b/metrics.jsonl");
            Files.writeString(metrics, "{\"step\":3,\"loss_d\":1.2", StandardOpenOption.APPEND);
            Files.write(runs.resolve("b/samples/step-000003.png"), PNG);
            Thread.sleep(2 * EventStream.POLL_MILLIS);
            Files.writeString(metrics, ",\"loss_g\":0.9}\n", StandardOpenOption.APPEND);
            List<String> next = events(in, 2);
            assertTrue(next.stream().anyMatch(e -> e.equals("sample {\"run\":\"b\",\"file\":\"step-000003.png\",\"step\":3,\"url\":\"runs/b/samples/step-000003.png\"}")), next.toString());
            assertTrue(next.stream().anyMatch(e -> e.equals("metrics {\"run\":\"b\",\"lines\":[{\"step\":3,\"loss_d\":1.2,\"loss_g\":0.9}]}")), next.toString());
        }
    }

    /** Reads {@code n} events as "TYPE DATA". */
    private static List<String> events(BufferedReader in, int n) throws IOException {
        List<String> events = new ArrayList<>();
        String type = null;
        for (String line; events.size() < n && (line = in.readLine()) != null; ) {
            if (line.startsWith("event: ")) type = line.substring(7);
            else if (line.startsWith("data: ")) events.add(type + " " + line.substring(6));
        }
        return events;
    }
}
