package org.gan4j.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.gan4j.run.Images;
import org.gan4j.run.Samples;
import org.gan4j.run.TrainedGenerator;
import org.gan4j.tensor.Tensor;

/**
 * Samples from a trained generator over HTTP (one virtual thread per connection):
 * <pre>
 * GET /v1/generate?count=N&seed=S&class=C&format=png|json   a PNG grid, or the samples as JSON arrays
 * GET /v1/model                                            what the model is and the service's limits
 * GET /healthz                                             200 while the generation worker runs
 * GET /metrics                                             Prometheus text: requests, latency, images
 * </pre>
 * Every bad parameter gets a 400 with a JSON error naming it (a request that does not parse at
 * all, one from {@link HttpServer}); a full queue or a request that waited longer than the
 * timeout gets a 503 with Retry-After.
 */
public final class GenerationServer implements AutoCloseable {

    /**
     * @param maxBatch      most images per request and per run of the generator
     * @param queueCapacity most requests waiting for the generator
     * @param timeout       longest a request waits for its samples
     * @param maxBodyBytes  largest request body accepted (the API takes none)
     */
    public record Limits(int maxBatch, int queueCapacity, Duration timeout, int maxBodyBytes) {
        public static Limits defaults() {
            return new Limits(64, 256, Duration.ofSeconds(30), 1024);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> PATHS = Set.of("/v1/generate", "/v1/model", "/healthz", "/metrics");
    private static final Set<String> GENERATE_PARAMETERS = Set.of("count", "seed", "class", "format");

    private final TrainedGenerator model;
    private final Limits limits;
    private final GenerationMetrics metrics = new GenerationMetrics();
    private final GenerationQueue queue;
    private final HttpServer server;

    private GenerationServer(TrainedGenerator model, String host, int port, Limits limits) throws IOException {
        this.model = model;
        this.limits = limits;
        this.queue = new GenerationQueue(model.generator(), limits.maxBatch(), limits.queueCapacity(), metrics);
        metrics.queueDepth(queue::waiting);
        this.server = HttpServer.start(host, port, HttpServer.Limits.defaults(), this::handle);
    }

    /** Starts serving {@code model} (in evaluation mode) on host:port; port 0 picks a free port. */
    public static GenerationServer start(TrainedGenerator model, String host, int port, Limits limits) {
        try {
            return new GenerationServer(model, host, port, limits);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.address().getPort();
    }

    public GenerationMetrics metrics() {
        return metrics;
    }

    /** An answer other than 200: its status, the parameter at fault (or null) and why. */
    private static final class HttpError extends RuntimeException {
        final int status;
        final String parameter;

        HttpError(int status, String parameter, String message) {
            super(message, null, false, false);
            this.status = status;
            this.parameter = parameter;
        }
    }

    private record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {
        static Answer json(Object value) {
            try {
                return new Answer(200, "application/json", JSON.writeValueAsBytes(value), Map.of());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void handle(Exchange ex) throws IOException {
        long start = System.nanoTime();
        String path = ex.uri().getPath();
        Answer answer;
        try {
            answer = answer(ex, path);
        } catch (HttpError e) {
            answer = error(e.status, e.parameter, e.getMessage());
        } catch (RuntimeException e) {
            answer = error(500, null, "internal error: " + e);
        }
        try {
            answer.headers().forEach(ex::answerHeader);
            ex.send(answer.status(), answer.contentType(), answer.body());
        } finally {
            metrics.request(PATHS.contains(path) ? path : "other", answer.status(), (System.nanoTime() - start) / 1e9);
        }
    }

    private Answer answer(Exchange ex, String path) throws IOException {
        if (!PATHS.contains(path)) throw new HttpError(404, null, "no such path " + path + " (known: " + String.join(", ", PATHS.stream().sorted().toList()) + ")");
        String method = ex.method();
        if (!method.equals("GET")) throw new HttpError(405, null, "method " + method + " not allowed; use GET");
        readBody(ex.body());
        Map<String, String> params = query(ex.uri().getRawQuery());
        return switch (path) {
            case "/v1/generate" -> generate(params);
            case "/v1/model" -> Answer.json(describe());
            case "/healthz" -> queue.isRunning()
                    ? Answer.json(Map.of("status", "ok"))
                    : error(503, null, "the generation worker has stopped");
            default -> new Answer(200, "text/plain; version=0.0.4; charset=utf-8", metrics.render().getBytes(StandardCharsets.UTF_8), Map.of());
        };
    }

    /** Reads what a client sent along (the API takes no body), refusing more than the limit. */
    private void readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(limits.maxBodyBytes() + 1);
        if (body.length > limits.maxBodyBytes()) throw new HttpError(413, null, "request body larger than " + limits.maxBodyBytes() + " bytes");
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return out;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String key, value;
            try {
                key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new HttpError(400, null, "malformed query string: " + e.getMessage());
            }
            if (out.put(key, value) != null) throw new HttpError(400, key, "parameter " + key + " given twice");
        }
        return out;
    }

    private Answer generate(Map<String, String> params) {
        for (String k : params.keySet()) {
            if (!GENERATE_PARAMETERS.contains(k)) throw new HttpError(400, k, "unknown parameter " + k + " (known: class, count, format, seed)");
        }
        int count = (int) number(params, "count", 1, 1, limits.maxBatch());
        long seed = params.containsKey("seed") ? number(params, "seed", 0, Long.MIN_VALUE, Long.MAX_VALUE) : ThreadLocalRandom.current().nextLong();
        String format = params.getOrDefault("format", "png");
        if (!format.equals("png") && !format.equals("json")) throw new HttpError(400, "format", "format must be png or json, got '" + format + "'");
        int classes = model.generator().classes();
        Integer chosen = null;
        if (params.containsKey("class")) {
            if (classes == 0) throw new HttpError(400, "class", "model " + model.config().model() + " is not class-conditional");
            chosen = (int) number(params, "class", 0, 0, classes - 1);
        }
        int[] labels = model.labels(count, chosen);

        GenerationQueue.Samples samples;
        var pending = submit(new GenerationQueue.Request(count, seed, labels));
        try {
            samples = pending.get(limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(false);
            throw overloaded("no samples within " + limits.timeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, null, "interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RejectedExecutionException r) throw overloaded(r.getMessage());
            throw new IllegalStateException("generation failed: " + e.getCause(), e.getCause());
        }
        Map<String, String> headers = Map.of("X-Seed", Long.toString(seed));
        if (format.equals("png")) return new Answer(200, "image/png", png(samples), headers);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model.config().model());
        body.put("seed", seed);
        body.put("shape", samples.shape());
        body.put("labels", labels);
        int per = samples.values().length / count;
        List<float[]> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) rows.add(Arrays.copyOfRange(samples.values(), i * per, (i + 1) * per));
        body.put("samples", rows);
        Answer json = Answer.json(body);
        return new Answer(200, json.contentType(), json.body(), headers);
    }

    private CompletableFuture<GenerationQueue.Samples> submit(GenerationQueue.Request r) {
        try {
            return queue.submit(r);
        } catch (RejectedExecutionException e) {
            throw overloaded(e.getMessage());
        }
    }

    private static HttpError overloaded(String why) {
        return new HttpError(503, null, "overloaded (" + why + "); retry later");
    }

    private static byte[] png(GenerationQueue.Samples samples) {
        return Images.png(Samples.picture(Tensor.of(samples.values(), samples.shape())));
    }

    /** An integer parameter in [min, max], or {@code fallback} when absent. */
    private static long number(Map<String, String> params, String name, long fallback, long min, long max) {
        String v = params.get(name);
        if (v == null) return fallback;
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new HttpError(400, name, name + " must be an integer, got '" + v + "'");
        }
        if (n < min || n > max) throw new HttpError(400, name, name + " must be between " + min + " and " + max + ", got " + n);
        return n;
    }

    private Map<String, Object> describe() {
        var g = model.generator();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("model", model.config().model());
        d.put("step", model.step());
        d.put("latent_dim", g.latentDim());
        d.put("sample_shape", g.outputShape());
        d.put("classes", g.classes());
        d.put("max_count", limits.maxBatch());
        d.put("formats", List.of("png", "json"));
        d.put("timeout_ms", limits.timeout().toMillis());
        return d;
    }

    private static Answer error(int status, String parameter, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        if (parameter != null) body.put("parameter", parameter);
        Answer json = Answer.json(body);
        return new Answer(status, json.contentType(), json.body(), status == 503 ? Map.of("Retry-After", "1") : Map.of());
    }

    @Override
    public void close() {
        server.close();
        queue.close();
    }
}
