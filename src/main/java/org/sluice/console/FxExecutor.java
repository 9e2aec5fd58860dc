package org.sluice.console;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javafx.application.Platform;

import org.sluice.console.viewmodel.BackgroundExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs view-model work on a small pool and hands the result back on the JavaFX thread. */
final class FxExecutor implements BackgroundExecutor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FxExecutor.class);
    private final ExecutorService pool;

    FxExecutor() {
        pool = Executors.newFixedThreadPool(4, Thread.ofPlatform().name("sluice-console-worker-", 1).daemon().factory());
    }

    @Override
    public <T> void run(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        pool.execute(() -> {
            T result;
            try {
                result = work.call();
            } catch (Exception e) {
                LOG.info("A console command failed: {}", e.toString());
                Platform.runLater(() -> onFailure.accept(e));
                return;
            }
            Platform.runLater(() -> onSuccess.accept(result));
        });
    }

    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
