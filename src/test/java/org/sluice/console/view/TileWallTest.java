package org.sluice.console.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javafx.animation.AnimationTimer;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sluice.console.controls.ThrottleTile;
import org.sluice.console.viewmodel.I18n;
import org.sluice.console.viewmodel.InstanceTileViewModel;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class TileWallTest {
    private final I18n i18n = new I18n(Locale.ENGLISH);
    private TileWall wall;

    @Start
    void start(Stage stage) {
        ScrollPane scroll = new ScrollPane();
        scroll.setFitToWidth(true);
        wall = new TileWall(scroll, model -> new ThrottleTile(model, i18n.bundle()),
                host -> new TileWall.TileGroup(host, new Label()), name -> null);
        scroll.setContent(wall);
        for (int i = 0; i < 40; i++) {
            wall.add(new InstanceTileViewModel("svc" + i, 0, 1, i18n, () -> 0L));
        }
        stage.setScene(new Scene(scroll, 700, 500));
        stage.show();
    }

    /** Waits until the toolkit has run {@code frames} more pulses. */
    private static void frames(int frames) throws Exception {
        CountDownLatch left = new CountDownLatch(frames);
        AnimationTimer timer = new AnimationTimer() {
            @Override
            public void handle(long now) {
                left.countDown();
            }
        };
        WaitForAsyncUtils.asyncFx(timer::start);
        assertThat(left.await(10, TimeUnit.SECONDS)).isTrue();
        WaitForAsyncUtils.asyncFx(timer::stop).get();
    }

    @Test
    void aWallWhoseTilesAndViewStayAsTheyAreIsNotLaidOutAgain(FxRobot robot) throws Exception {
        frames(3);
        int layouts = WaitForAsyncUtils.asyncFx(wall::layoutCount).get();
        assertThat(layouts).isPositive();
        frames(10);
        assertThat(WaitForAsyncUtils.asyncFx(wall::layoutCount).get()).as("layouts in 10 idle frames").isEqualTo(layouts);
    }
}
