package org.gan4j.cli;

import java.nio.file.Path;
import org.gan4j.serve.Dashboard;
import picocli.CommandLine.Option;

/** Where the dashboard listens; shared by {@code dashboard} and {@code train --dashboard}. */
final class DashboardOptions {
    @Option(names = "--port", defaultValue = "6060", description = "dashboard port, 0 for any free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 exposes it to the network)")
    String host;

    Dashboard start(Path runsDir) {
        if (port < 0 || port > 65535) throw new CliException("--port must be in 0..65535, got " + port);
        Dashboard dashboard = Dashboard.start(runsDir, host, port);
        System.out.println("dashboard at " + dashboard.uri());
        return dashboard;
    }
}
