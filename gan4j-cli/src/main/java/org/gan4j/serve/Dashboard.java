package org.gan4j.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The training dashboard: one page that follows every run in a runs folder live over
 * Server-Sent Events. Routes: {@code /} the page, {@code /dashboard.js} its script,
 * {@code /chart.js} Chart.js from its WebJar, {@code /events} the event stream, and
 * {@code /runs/RUN/FILE} files inside a run directory (sample grids) and nothing else.
 */
public final class Dashboard implements AutoCloseable {
    private static final String CHART_JS_POM = "META-INF/maven/org.webjars.npm/chart.js/pom.properties";
    private static final Map<String, String> TYPES = Map.of("png", "image/png", "json", "application/json",
            "jsonl", "text/plain; charset=utf-8", "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8");

    private final RunsFolder runs;
    private final HttpServer server;
    private volatile boolean open = true;

    private Dashboard(RunsFolder runs, String host, int port) throws IOException {
        this.runs = runs;
        this.server = HttpServer.start(host, port, HttpServer.Limits.defaults(), this::route);
    }

    /** Starts serving {@code runsDir} on host:port (port 0 picks a free one). */
    public static Dashboard start(Path runsDir, String host, int port) {
        RunsFolder runs = new RunsFolder(runsDir);
        try {
            return new Dashboard(runs, host, port);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot listen on " + host + ":" + port + ": " + e.getMessage());
        }
    }

    public URI uri() {
        InetSocketAddress a = server.address();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/");
    }

    private void route(Exchange ex) throws IOException {
        if (!ex.method().equals("GET") && !ex.method().equals("HEAD")) {
            sendText(ex, 405, "only GET");
            return;
        }
        String path = ex.uri().getRawPath();
        switch (path) {
            case "/", "/index.html" -> sendResource(ex, "dashboard.html", TYPES.get("html"));
            case "/dashboard.js" -> sendResource(ex, "dashboard.js", TYPES.get("js"));
            case "/chart.js" -> sendChartJs(ex);
            case "/events" -> new EventStream(runs, ex, () -> open).run();
            default -> {
                if (path.startsWith("/runs/")) sendRunFile(ex, path.substring("/runs/".length()));
                else sendText(ex, 404, "not found");
            }
        }
    }

    private void sendRunFile(Exchange ex, String rawPath) throws IOException {
        Path file;
        try {
            file = runs.file(rawPath);
        } catch (IllegalArgumentException e) {
            sendText(ex, 400, e.getMessage());
            return;
        }
        if (file == null) {
            sendText(ex, 404, "not found");
            return;
        }
        String name = file.getFileName().toString();
        ex.answerHeader("Cache-Control", "no-cache");
        ex.send(200, TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream"), Files.readAllBytes(file));
    }

    private void sendChartJs(Exchange ex) throws IOException {
        Properties pom = new Properties();
        try (InputStream in = resource(CHART_JS_POM)) {
            pom.load(in);
        }
        ex.send(200, TYPES.get("js"), resourceBytes("META-INF/resources/webjars/chart.js/" + pom.getProperty("version") + "/dist/chart.umd.js"));
    }

    private void sendResource(Exchange ex, String name, String type) throws IOException {
        ex.send(200, type, resourceBytes("org/gan4j/serve/" + name));
    }

    private static InputStream resource(String name) {
        InputStream in = Dashboard.class.getClassLoader().getResourceAsStream(name);
        if (in == null) throw new UncheckedIOException(new IOException("missing resource " + name + " (is the jar complete?)"));
        return in;
    }

    private static byte[] resourceBytes(String name) throws IOException {
        try (InputStream in = resource(name)) {
            return in.readAllBytes();
        }
    }

    private static void sendText(Exchange ex, int status, String text) throws IOException {
        ex.send(status, "text/plain; charset=utf-8", (text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Stops the server; open event streams end within one poll. */
    @Override
    public void close() {
        open = false;
        server.close();
    }
}
