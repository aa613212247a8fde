package org.gan4j.cli;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.gan4j.run.TrainedGenerator;
import org.gan4j.serve.GenerationServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve samples of a trained generator over HTTP until stopped (Ctrl-C).",
                "GET /v1/generate?count=N&seed=S&class=C&format=png|json, /v1/model, /healthz, /metrics (Prometheus)."})
final class ServeCommand implements Callable<Integer> {
    @Mixin
    TrainedRun run;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface)")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "port (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    int port;

    @Option(names = "--max-batch", defaultValue = "64", description = "most images per request and per run of the generator (default: ${DEFAULT-VALUE})")
    int maxBatch;

    @Option(names = "--queue", defaultValue = "256", description = "most requests waiting; beyond it the answer is 503 (default: ${DEFAULT-VALUE})")
    int queue;

    @Option(names = "--timeout-ms", defaultValue = "30000", description = "longest a request waits for its samples (default: ${DEFAULT-VALUE})")
    long timeoutMs;


    @Override
    public Integer call() throws InterruptedException {
        if (maxBatch < 1 || maxBatch > 4096) throw new CliException("--max-batch must be between 1 and 4096, got " + maxBatch);
        if (queue < 1) throw new CliException("--queue must be at least 1, got " + queue);
        if (timeoutMs < 1) throw new CliException("--timeout-ms must be positive, got " + timeoutMs);
        if (port < 0 || port > 65535) throw new CliException("--port must be between 0 and 65535, got " + port);
        TrainedGenerator m = run.load();
        var limits = new GenerationServer.Limits(maxBatch, queue, Duration.ofMillis(timeoutMs), GenerationServer.Limits.defaults().maxBodyBytes());
        GenerationServer server;
        try {
            server = GenerationServer.start(m, host, port, limits);
        } catch (UncheckedIOException e) {
            throw new CliException(e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        System.out.println("serving " + m.config().model() + " (step " + m.step() + ") on http://" + host + ":" + server.port()
                + "  GET /v1/generate?count=N&seed=S&class=C&format=png|json, /v1/model, /healthz, /metrics");
        stopped.await();
        return 0;
    }
}
