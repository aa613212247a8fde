package org.gan4j.serve;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/** The generation service's counters, in Prometheus' text format (version 0.0.4). */
public final class GenerationMetrics {
    /** Upper bounds of the latency buckets, seconds. */
    private static final double[] BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();   // "path|status"
    private final LongAdder[] buckets = new LongAdder[BUCKETS.length];
    private final LongAdder latencyCount = new LongAdder();
    private final DoubleAdder latencySum = new DoubleAdder();
    private final LongAdder images = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private volatile IntSupplier queueDepth = () -> 0;

    public GenerationMetrics() {
        for (int i = 0; i < buckets.length; i++) buckets[i] = new LongAdder();
    }

    void queueDepth(IntSupplier depth) {
        queueDepth = depth;
    }

    /** One answered request: its path (a known one, or "other"), status and time to answer. */
    public void request(String path, int status, double seconds) {
        requests.computeIfAbsent(path + "|" + status, k -> new LongAdder()).increment();
        for (int i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) buckets[i].increment();
        latencyCount.increment();
        latencySum.add(seconds);
    }

    /** One run of the generator over {@code n} images. */
    public void batch(int n) {
        images.add(n);
        batches.increment();
    }

    public String render() {
        StringBuilder b = new StringBuilder();
        b.append("# HELP gan4j_http_requests_total HTTP requests answered, by path and status.\n");
        b.append("# TYPE gan4j_http_requests_total counter\n");
        new TreeMap<>(requests).forEach((k, v) -> {
            String[] parts = k.split("\\|");
            b.append("gan4j_http_requests_total{path=\"").append(parts[0]).append("\",status=\"").append(parts[1]).append("\"} ")
                    .append(v.sum()).append('\n');
        });
        b.append("# HELP gan4j_http_request_duration_seconds Time from receiving a request to answering it.\n");
        b.append("# TYPE gan4j_http_request_duration_seconds histogram\n");
        for (int i = 0; i < BUCKETS.length; i++) {
            b.append("gan4j_http_request_duration_seconds_bucket{le=\"").append(format(BUCKETS[i])).append("\"} ").append(buckets[i].sum()).append('\n');
        }
        long count = latencyCount.sum();
        b.append("gan4j_http_request_duration_seconds_bucket{le=\"+Inf\"} ").append(count).append('\n');
        b.append("gan4j_http_request_duration_seconds_sum ").append(format(latencySum.sum())).append('\n');
        b.append("gan4j_http_request_duration_seconds_count ").append(count).append('\n');
        b.append("# HELP gan4j_images_generated_total Images (samples) the generator made.\n");
        b.append("# TYPE gan4j_images_generated_total counter\n");
        b.append("gan4j_images_generated_total ").append(images.sum()).append('\n');
        b.append("# HELP gan4j_generator_batches_total Runs of the generator (each serves one or more requests).\n");
        b.append("# TYPE gan4j_generator_batches_total counter\n");
        b.append("gan4j_generator_batches_total ").append(batches.sum()).append('\n');
        b.append("# HELP gan4j_queue_requests Requests waiting for the generator.\n");
        b.append("# TYPE gan4j_queue_requests gauge\n");
        b.append("gan4j_queue_requests ").append(queueDepth.getAsInt()).append('\n');
        return b.toString();
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%s", v);
    }
}
