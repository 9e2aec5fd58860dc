package org.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.console.ConsoleFixture.onFx;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * What the console waits for before the role instances of the last run start: the frame showing
 * the filled grid drawn, not only laid out. A scene's pulse waits for the previous frame to be
 * painted before it hands on its own, so that frame is drawn once the pulse after it has returned.
 */
@ExtendWith(ApplicationExtension.class)
class AfterPaintTest {
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    /** Keeps what it is given, to run when the test says. */
    private static final class HeldBound implements Executor {
        final List<Runnable> held = new ArrayList<>();

        @Override
        public synchronized void execute(Runnable command) {
            held.add(command);
        }

        synchronized void runHeld() {
            held.forEach(Runnable::run);
        }
    }

    @Test
    void theActionRunsOnlyOnceThePulseAfterTheChangeHasReturned() throws Exception {
        Label label = new Label("before");
        onFx(() -> {
            stage.setScene(new Scene(new StackPane(label), 300, 200));
            stage.show();
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();

        AtomicInteger pulsesReturned = new AtomicInteger();
        AtomicInteger pulsesReturnedWhenRun = new AtomicInteger(-1);
        CountDownLatch ran = new CountDownLatch(1);
        onFx(() -> {
            // Registered before the one under test: its hand-off runs first after each pulse.
            stage.getScene().addPostLayoutPulseListener(() -> Platform.runLater(pulsesReturned::incrementAndGet));
            label.setText("after");
            AfterPaint.run(stage.getScene(), new HeldBound(), () -> {
                pulsesReturnedWhenRun.set(pulsesReturned.get());
                ran.countDown();
            });
            return null;
        });

        assertThat(ran.await(10, TimeUnit.SECONDS)).as("the action ran").isTrue();
        assertThat(pulsesReturnedWhenRun.get())
                .as("pulses returned when it ran: the change's, then the one that waited for its painting")
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void aSceneThatIsNeverDrawnRunsTheActionWhenTheBoundComesAndNotBefore() throws Exception {
        HeldBound bound = new HeldBound();
        AtomicInteger runs = new AtomicInteger();
        onFx(() -> {
            // In no window: no pulse ever lays it out.
            AfterPaint.run(new Scene(new StackPane(new Label("unseen"))), bound, runs::incrementAndGet);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents(10);
        assertThat(runs.get()).as("runs before the bound").isZero();
        assertThat(bound.held).as("a bound asked for").hasSize(1);

        bound.runHeld();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(runs.get()).isEqualTo(1);
    }

    @Test
    void theActionRunsOnceWhenTheFrameIsDrawnAndTheBoundComesAfter() throws Exception {
        onFx(() -> {
            stage.setScene(new Scene(new StackPane(new Label("drawn")), 300, 200));
            stage.show();
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        HeldBound bound = new HeldBound();
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch ran = new CountDownLatch(1);
        onFx(() -> {
            AfterPaint.run(stage.getScene(), bound, () -> {
                runs.incrementAndGet();
                ran.countDown();
            });
            return null;
        });
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();

        bound.runHeld();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(runs.get()).as("runs in all").isEqualTo(1);
    }
}
