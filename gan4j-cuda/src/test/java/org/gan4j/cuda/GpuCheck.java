package org.gan4j.cuda;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import java.util.Arrays;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * Runs the GPU parity tests without Maven (bench/gpu-check on the GPU machine) and fails when
 * any fails or is skipped: there, a skip means the GPU could not be used.
 *
 * <p>Usage: {@code java -cp ... org.gan4j.cuda.GpuCheck TEST_CLASS...}
 */
public final class GpuCheck {
    private GpuCheck() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: GpuCheck TEST_CLASS...");
            System.exit(2);
        }
        var request = LauncherDiscoveryRequestBuilder.request()
                .selectors(Arrays.stream(args).map(c -> selectClass(c)).toList())
                .build();
        var summary = new SummaryGeneratingListener();
        TestExecutionListener printer = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (test.isTest()) {
                    System.out.println(result.getStatus() + " " + test.getDisplayName()
                            + result.getThrowable().map(t -> ": " + t.getMessage()).orElse(""));
                }
            }

            @Override
            public void executionSkipped(TestIdentifier test, String reason) {
                System.out.println("SKIPPED " + test.getDisplayName() + ": " + reason);
            }
        };
        LauncherFactory.create().execute(request, summary, printer);
        var s = summary.getSummary();
        s.printTo(new PrintWriter(System.out, true));
        s.printFailuresTo(new PrintWriter(System.out, true), 20);
        boolean ok = s.getTestsFoundCount() > 0 && s.getTotalFailureCount() == 0
                && s.getTestsAbortedCount() == 0 && s.getTestsSkippedCount() == 0;
        System.out.println(ok ? "gpu-check: all parity tests passed" : "gpu-check: parity tests FAILED or did not run");
        System.exit(ok ? 0 : 1);
    }
}
