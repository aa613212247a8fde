package org.gan4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;
import org.gan4j.cli.Main;
import org.gan4j.run.TrainedGenerator;
import org.gan4j.tensor.Autograd;
import org.gan4j.tensor.Rng;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    static Path tmp;
    static TrainedGenerator dcgan, conditional;
    static GenerationServer server, conditionalServer;

    /** A run made from the PyTorch golden weights (see PyTorchInteropTest). */
    static TrainedGenerator imported(String model) throws Exception {
        Path weights = Path.of(GenerationServerTest.class.getResource("/interop/" + model + ".safetensors").toURI());
        Path run = tmp.resolve(model);
        assertEquals(0, Main.run("import-weights", weights.toString(), "--model", model, "--out", run.toString()));
        return TrainedGenerator.load(run, false);
    }

    @BeforeAll
    static void start() throws Exception {
        dcgan = imported("dcgan28");
        conditional = imported("cgan-mlp");
        var limits = new GenerationServer.Limits(16, 64, Duration.ofSeconds(20), 64);
        server = GenerationServer.start(dcgan, "127.0.0.1", 0, limits);
        conditionalServer = GenerationServer.start(conditional, "127.0.0.1", 0, limits);
    }

    @AfterAll
    static void stop() {
        server.close();
        conditionalServer.close();
    }

    static HttpResponse<byte[]> get(GenerationServer s, String pathAndQuery) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static JsonNode json(HttpResponse<byte[]> r) throws IOException {
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        return JSON.readTree(r.body());
    }

    /** The samples gan4j generate makes for this seed and these labels, without the service. */
    static float[] direct(TrainedGenerator m, int count, long seed, int[] labels) {
        try (var ng = Autograd.noGrad()) {
            return m.generator().generate(m.generator().noise(count, Rng.seeded(seed)), labels).toArray();
        }
    }

    static float[] samples(JsonNode body) {
        List<Float> all = new ArrayList<>();
        body.get("samples").forEach(row -> row.forEach(v -> all.add(v.floatValue())));
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) out[i] = all.get(i);
        return out;
    }

    static void assertClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], 1e-5f, "value " + i);
    }

    @Test
    void healthModelAndMetricsEndpoints() throws Exception {
        var health = get(server, "/healthz");
        assertEquals(200, health.statusCode());
        assertEquals("ok", json(health).get("status").asText());

        JsonNode model = json(get(server, "/v1/model"));
        assertEquals("dcgan28", model.get("model").asText());
        assertEquals(100, model.get("latent_dim").asInt());
        assertEquals("[1,28,28]", model.get("sample_shape").toString());
        assertEquals(0, model.get("classes").asInt());
        assertEquals(16, model.get("max_count").asInt());

        assertEquals(200, get(server, "/v1/generate?count=2&seed=1&format=json").statusCode());
        var metrics = get(server, "/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        String text = new String(metrics.body());
        assertTrue(text.matches("(?s).*gan4j_http_requests_total\\{path=\"/v1/generate\",status=\"200\"} [1-9].*"), text);
        assertTrue(text.contains("# TYPE gan4j_http_request_duration_seconds histogram"), text);
        assertTrue(text.contains("gan4j_http_request_duration_seconds_bucket{le=\"+Inf\"}"), text);
        assertTrue(text.matches("(?s).*gan4j_images_generated_total [1-9].*"), text);
    }

    @Test
    void jsonSamplesAreThoseOfTheSeedAndPngIsAGrid() throws Exception {
        var r = get(server, "/v1/generate?count=3&seed=7&format=json");
        assertEquals(200, r.statusCode());
        JsonNode body = json(r);
        assertEquals(7, body.get("seed").asLong());
        assertEquals("[3,1,28,28]", body.get("shape").toString());
        assertClose(direct(dcgan, 3, 7, null), samples(body));

        var png = get(server, "/v1/generate?count=4&seed=7");
        assertEquals(200, png.statusCode());
        assertEquals("image/png", png.headers().firstValue("Content-Type").orElse(""));
        assertNotNull(ImageIO.read(new ByteArrayInputStream(png.body())));
        assertEquals("7", png.headers().firstValue("X-Seed").orElse(""));
    }

    @Test
    void classesOfAConditionalModel() throws Exception {
        JsonNode body = json(get(conditionalServer, "/v1/generate?count=5&seed=3&class=4&format=json"));
        int[] fours = {4, 4, 4, 4, 4};
        assertEquals("[4,4,4,4,4]", body.get("labels").toString());
        assertClose(direct(conditional, 5, 3, fours), samples(body));
        var bad = get(conditionalServer, "/v1/generate?class=10");
        assertEquals(400, bad.statusCode());
        assertEquals("class", json(bad).get("parameter").asText());
    }

    @Test
    void everyBadParameterIsA400NamingIt() throws Exception {
        Map<String, String> cases = Map.of(
                "count=0", "count", "count=17", "count", "count=abc", "count", "seed=1.5", "seed",
                "format=gif", "format", "class=1", "class", "colour=red", "colour", "count=1&count=2", "count");
        for (var c : cases.entrySet()) {
            var r = get(server, "/v1/generate?" + c.getKey());
            assertEquals(400, r.statusCode(), c.getKey());
            JsonNode e = json(r);
            assertEquals(c.getValue(), e.get("parameter").asText(), c.getKey());
            assertTrue(e.get("error").asText().contains(c.getValue()), e.toString());
        }
        assertEquals(404, get(server, "/v2/generate").statusCode());
        var post = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/generate"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(405, post.statusCode());
        var big = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/generate"))
                .method("GET", HttpRequest.BodyPublishers.ofByteArray(new byte[100_000])).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(413, big.statusCode());
        assertEquals(200, get(server, "/healthz").statusCode());
    }

    @Test
    void aRequestThatDoesNotParseIsA400WithAJsonError() throws Exception {
        for (String target : List.of("/v1/generate?count=%zz", "/v1/generate?count=%", "/v1/%zzgenerate", "/v1/generate?count=1%2", "/v1/gene rate",
                "/v1/generate?count=\u00e9", "/v1/generate?format=<png>")) {
            var answer = RawHttp.get(server.port(), target);
            assertEquals(400, answer.status(), target);
            assertTrue(answer.json().get("error").asText().startsWith("malformed request"), target + " -> " + answer.text());
        }
        var escaped = RawHttp.get(server.port(), "/v1/generate?count=%3F");   // a valid escape reaches the parameter check
        assertEquals("count", escaped.json().get("parameter").asText(), escaped.text());
        try (RawHttp http = new RawHttp(server.port())) {   // keep-alive: a second request on the same connection
            String request = "GET /v1/generate?count=2&seed=5&format=json HTTP/1.1\r\nHost: localhost\r\n\r\n";
            assertClose(direct(dcgan, 2, 5, null), samples(http.send(request).read().json()));
            assertEquals("ok", http.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n").read().json().get("status").asText());
        }
    }

    @Test
    void concurrentRequestsAreBatchedAndEachGetsItsOwnSamples() throws Exception {
        long batchesBefore = batches(server);
        List<CompletableFuture<HttpResponse<byte[]>>> pending = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            pending.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                    + "/v1/generate?format=json&count=2&seed=" + (100 + i))).build(), HttpResponse.BodyHandlers.ofByteArray()));
        }
        for (int i = 0; i < pending.size(); i++) {
            var r = pending.get(i).get();
            assertEquals(200, r.statusCode());
            assertClose(direct(dcgan, 2, 100 + i, null), samples(json(r)));
        }
        long batches = batches(server) - batchesBefore;
        assertTrue(batches < 24, "24 concurrent requests took " + batches + " runs of the generator");
    }

    private static long batches(GenerationServer s) {
        return s.metrics().render().lines().filter(l -> l.startsWith("gan4j_generator_batches_total "))
                .mapToLong(l -> Long.parseLong(l.split(" ")[1])).sum();
    }

    @Test
    void overloadIsA503WithRetryAfterAndTheServiceStaysUp() throws Exception {
        try (var tiny = GenerationServer.start(dcgan, "127.0.0.1", 0, new GenerationServer.Limits(16, 1, Duration.ofSeconds(20), 64))) {
            List<CompletableFuture<HttpResponse<byte[]>>> pending = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                pending.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tiny.port() + "/v1/generate?count=16&format=json")).build(),
                        HttpResponse.BodyHandlers.ofByteArray()));
            }
            Map<Integer, Long> statuses = new java.util.TreeMap<>();
            for (var p : pending) {
                var r = p.get();
                statuses.merge(r.statusCode(), 1L, Long::sum);
                if (r.statusCode() == 503) assertEquals("1", r.headers().firstValue("Retry-After").orElse(""));
            }
            // only answers and refusals: no 5xx but 503, no hang (every future completed)
            assertEquals(java.util.Set.of(200, 503), statuses.keySet(), statuses.toString());
            assertEquals(200, get(tiny, "/healthz").statusCode());
            assertEquals(200, get(tiny, "/v1/generate?count=1").statusCode());
        }
    }

    @Test
    void aRequestThatWaitsTooLongIsA503() throws Exception {
        try (var impatient = GenerationServer.start(dcgan, "127.0.0.1", 0, new GenerationServer.Limits(64, 8, Duration.ofNanos(1), 64))) {
            var r = get(impatient, "/v1/generate?count=64");
            assertEquals(503, r.statusCode());
            assertTrue(json(r).get("error").asText().contains("no samples within"), new String(r.body()));
            assertEquals("1", r.headers().firstValue("Retry-After").orElse(""));
        }
    }

    @Test
    void serveListensOnLoopbackByDefault() throws Exception {
        var spec = new picocli.CommandLine(new Main()).getSubcommands().get("serve").getCommandSpec();
        assertEquals("127.0.0.1", spec.findOption("--host").defaultValue());
    }
}
