package org.gan4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = {"Serve a live web page of the runs in a folder: losses, D outputs, metrics, samples, alarms.",
                "Runs until stopped (Ctrl-C)."})
final class DashboardCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", defaultValue = "runs", description = "a folder of run directories, or one run (default: ${DEFAULT-VALUE})")
    Path runsDir;

    @Mixin
    DashboardOptions options;

    @Override
    public Integer call() throws InterruptedException {
        if (!Files.isDirectory(runsDir)) throw new CliException("runs folder " + runsDir + " does not exist");
        try (var dashboard = options.start(runsDir)) {
            new CountDownLatch(1).await();   // serve until the process is stopped
        }
        return 0;
    }
}
