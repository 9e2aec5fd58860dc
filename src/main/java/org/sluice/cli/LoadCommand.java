package org.sluice.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

import org.sluice.fleet.traffic.HttpSender;
import org.sluice.fleet.traffic.LoadBody;
import org.sluice.fleet.traffic.LoadGenerator;
import org.sluice.fleet.traffic.LoadSummary;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice load}: posts messages of a given size to a URL at a steady rate for a while, then
 * prints how many were sent, accepted, refused as busy and failed, and the latency.
 */
@Command(name = "load", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class)
final class LoadCommand implements Callable<Integer> {
    static final int BAD_ARGUMENTS = 2;

    @Spec
    private CommandSpec spec;

    @Option(names = "--url", required = true, paramLabel = "URL", descriptionKey = "load.option.url")
    private String url;

    @Option(names = "--rate", required = true, paramLabel = "N", descriptionKey = "load.option.rate")
    private double rate;

    @Option(names = "--concurrency", required = true, paramLabel = "N", descriptionKey = "load.option.concurrency")
    private int concurrency;

    @Option(names = "--size", required = true, paramLabel = "BYTES", descriptionKey = "load.option.size")
    private int size;

    @Option(names = "--duration", required = true, paramLabel = "S", descriptionKey = "load.option.duration")
    private double durationSeconds;

    @Option(names = "--retry", descriptionKey = "load.option.retry")
    private boolean retry;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String problem = problem();
        if (problem != null) {
            err.println(problem);
            return BAD_ARGUMENTS;
        }
        Duration duration = Duration.ofNanos(Math.round(durationSeconds * 1e9));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemon("sluice-load-pacer"));
        ExecutorService http = Executors.newCachedThreadPool(daemon("sluice-load-http"));
        try {
            HttpSender sender = new HttpSender(URI.create(url), new LoadBody(size), http);
            LoadSummary summary = new LoadGenerator(rate, concurrency, duration, retry, sender, scheduler,
                    System::nanoTime).start().join();
            print(summary, out);
            return 0;
        } finally {
            scheduler.shutdownNow();
            http.shutdownNow();
        }
    }

    /** What is wrong with the arguments, in the user's language; null when nothing is. */
    private String problem() {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            return Messages.get("load.error.rate", Double.toString(rate));
        }
        if (concurrency < 1) {
            return Messages.get("load.error.concurrency", concurrency);
        }
        if (size < LoadBody.MIN_SIZE || size > LoadBody.MAX_SIZE) {
            return Messages.get("load.error.size", size, LoadBody.MIN_SIZE, LoadBody.MAX_SIZE);
        }
        if (!(durationSeconds > 0) || durationSeconds > Duration.ofDays(1).toSeconds()) {
            return Messages.get("load.error.duration", Double.toString(durationSeconds));
        }
        if (rate * durationSeconds > Integer.MAX_VALUE) {
            return Messages.get("load.error.tooMany", Double.toString(rate * durationSeconds));
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                return Messages.get("load.error.url", url);
            }
        } catch (URISyntaxException e) {
            return Messages.get("load.error.url", url);
        }
        return null;
    }

    static void print(LoadSummary summary, PrintWriter out) {
        out.println(Messages.get("load.summary.sent", summary.sent()));
        out.println(Messages.get("load.summary.ok", summary.ok()));
        out.println(Messages.get("load.summary.busy", summary.busy()));
        out.println(Messages.get("load.summary.errors", summary.errors()));
        out.println(Messages.get("load.summary.retries", summary.retries()));
        if (summary.p50Nanos().isPresent()) {
            out.println(Messages.get("load.summary.p50", millis(summary.p50Nanos())));
            out.println(Messages.get("load.summary.p99", millis(summary.p99Nanos())));
        } else {
            out.println(Messages.get("load.summary.noLatency"));
        }
        summary.firstError().ifPresent(error -> out.println(Messages.get("load.summary.firstError", error)));
    }

    private static String millis(OptionalLong nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos.getAsLong() / 1e6);
    }

    private static ThreadFactory daemon(String name) {
        return Thread.ofPlatform().name(name).daemon().factory();
    }
}
