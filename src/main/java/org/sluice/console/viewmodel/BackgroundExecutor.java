package org.sluice.console.viewmodel;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * The one way view models run work off the JavaFX thread. The result, or the failure, comes back
 * on the JavaFX thread. Tests use {@link #sameThread()}.
 */
public interface BackgroundExecutor {

    <T> void run(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure);

    /** Runs the work at once on the calling thread: for tests. */
    static BackgroundExecutor sameThread() {
        return new BackgroundExecutor() {
            @Override
            public <T> void run(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
                T result;
                try {
                    result = work.call();
                } catch (Exception e) {
                    onFailure.accept(e);
                    return;
                }
                onSuccess.accept(result);
            }
        };
    }
}
