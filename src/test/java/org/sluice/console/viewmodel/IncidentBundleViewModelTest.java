package org.sluice.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.sluice.fleet.bundle.BundleWriteException;
import org.sluice.fleet.bundle.IncidentBundle;
import org.sluice.throttle.Cause;
import org.sluice.throttle.InstanceEpisode;
import org.sluice.throttle.ThrottleEpisode;

class IncidentBundleViewModelTest {
    private static final long NOW = 10_000_000;
    private final ScriptedDialogs dialogs = new ScriptedDialogs();
    private final NoticesViewModel notices = new NoticesViewModel(new I18n(Locale.ENGLISH));
    private final List<String> written = new ArrayList<>();
    private RuntimeException failure;
    private long now = NOW;
    private final IncidentBundleViewModel.Writer writer = new IncidentBundleViewModel.Writer() {
        @Override
        public Path write(String service, List<Integer> instances, long fromMs, long toMs, Path file) {
            if (failure != null) {
                throw failure;
            }
            written.add(service + " " + instances + " " + fromMs + ".." + toMs + " " + file);
            return file;
        }

        @Override
        public Path writeEpisode(InstanceEpisode episode, IncidentBundle.Range range, Path file) {
            if (failure != null) {
                throw failure;
            }
            written.add("episode " + episode.service() + " [" + episode.instance() + "] " + episode.episode().startMs() + " "
                    + range.fromMs() + ".." + range.toMs() + " " + file);
            return file;
        }
    };
    private final IncidentBundleViewModel model = new IncidentBundleViewModel(writer, BackgroundExecutor.sameThread(), dialogs, notices,
            new I18n(Locale.ENGLISH), () -> now);

    @Test
    void savingAServicesBundleIsExecutableOnlyWhileAServiceIsSelected() {
        assertThat(model.saveServiceCommand().isExecutable()).isFalse();

        model.selectedServiceProperty().set("orders");
        assertThat(model.saveServiceCommand().isExecutable()).isTrue();

        model.selectedServiceProperty().set(null);
        assertThat(model.saveServiceCommand().isExecutable()).isFalse();
    }

    @Test
    void aServicesBundleCoversAllItsInstancesForTheChosenSpan() {
        model.selectedServiceProperty().set("orders");
        dialogs.bundle = Optional.of(new DialogService.BundleChoice(IncidentBundleViewModel.Span.LAST_15_MINUTES, Path.of("/tmp/o.zip")));

        model.saveServiceCommand().execute();

        assertThat(dialogs.asked).containsExactly("bundle orders []");
        assertThat(written).containsExactly("orders [] " + (NOW - 900_000) + ".." + NOW + " /tmp/o.zip");
        assertThat(notices.latestProperty().get().kind()).isEqualTo(Notice.Kind.SUCCESS);
        assertThat(notices.latestProperty().get().text()).contains("/tmp/o.zip");
        assertThat(model.saveServiceCommand().isExecutable()).as("not running any more").isTrue();
    }

    @Test
    void aTilesBundleCoversThatInstanceAndNothingIsWrittenWhenTheUserCancels() {
        model.saveInstance("orders", 2);
        assertThat(dialogs.asked).containsExactly("bundle orders [2]");
        assertThat(written).isEmpty();

        dialogs.bundle = Optional.of(new DialogService.BundleChoice(IncidentBundleViewModel.Span.LAST_5_MINUTES, Path.of("/tmp/t.zip")));
        model.saveInstance("orders", 2);
        assertThat(written).containsExactly("orders [2] " + (NOW - 300_000) + ".." + NOW + " /tmp/t.zip");
    }

    @Test
    void aBundleThatCannotBeWrittenIsAnErrorTheUserSeesNamingTheFolderAndTheWayOut() {
        failure = new BundleWriteException(Path.of("/read-only"), "access denied", null);
        model.selectedServiceProperty().set("orders");
        dialogs.bundle = Optional.of(new DialogService.BundleChoice(IncidentBundleViewModel.Span.LAST_60_MINUTES, Path.of("/read-only/o.zip")));

        model.saveServiceCommand().execute();

        Notice alert = notices.alertProperty().get();
        assertThat(alert).isNotNull();
        assertThat(alert.kind()).isEqualTo(Notice.Kind.ERROR);
        assertThat(alert.text()).contains("/read-only").contains("access denied").contains("another folder");
        assertThat(model.saveServiceCommand().isExecutable()).isTrue();
    }

    @Test
    void anyOtherFailureIsShownWithTheReasonTheFleetGave() {
        failure = new org.sluice.fleet.FleetUnavailableException("The host at https://h:7071 cannot be reached", null);
        dialogs.bundle = Optional.of(new DialogService.BundleChoice(IncidentBundleViewModel.Span.LAST_5_MINUTES, Path.of("/tmp/x.zip")));

        model.saveInstance("orders", 0);

        assertThat(notices.alertProperty().get().text()).contains("orders").contains("cannot be reached");
    }

    @Test
    void anEndedEpisodesBundleIsOfItsInstanceFromAMinuteBeforeItToAMinuteAfterIt() {
        InstanceEpisode episode = new InstanceEpisode("orders", 1,
                new ThrottleEpisode(NOW - 600_000, OptionalLong.of(NOW - 500_000), Set.of(Cause.MEMORY)));
        assertThat(model.saveEpisodeCommand().isExecutable()).as("no episode selected").isFalse();
        model.selectedEpisodeProperty().set(episode);
        assertThat(model.saveEpisodeCommand().isExecutable()).isTrue();
        dialogs.episodeBundle = Optional.of(Path.of("/tmp/e.zip"));

        model.saveEpisodeCommand().execute();

        assertThat(dialogs.asked).containsExactly("episode bundle orders 1 " + (NOW - 600_000));
        assertThat(written).containsExactly("episode orders [1] " + (NOW - 600_000) + " " + (NOW - 660_000) + ".." + (NOW - 440_000)
                + " /tmp/e.zip");
        assertThat(notices.latestProperty().get().kind()).isEqualTo(Notice.Kind.SUCCESS);
        assertThat(model.saveEpisodeCommand().isExecutable()).as("done").isTrue();
    }

    @Test
    void anEpisodeUnderWayOrJustEndedEndsItsBundleNowAndNothingIsWrittenWhenTheUserCancels() {
        InstanceEpisode open = new InstanceEpisode("orders", 0, ThrottleEpisode.opening(NOW - 30_000, Set.of(Cause.CONCURRENCY)));
        model.selectedEpisodeProperty().set(open);
        model.saveEpisodeCommand().execute();
        assertThat(written).as("cancelled").isEmpty();

        dialogs.episodeBundle = Optional.of(Path.of("/tmp/u.zip"));
        now = NOW + 5_000;
        model.saveEpisodeCommand().execute();
        InstanceEpisode justEnded = new InstanceEpisode("orders", 0,
                new ThrottleEpisode(NOW - 30_000, OptionalLong.of(NOW), Set.of(Cause.CONCURRENCY)));
        model.selectedEpisodeProperty().set(justEnded);
        model.saveEpisodeCommand().execute();

        assertThat(written).containsExactly(
                "episode orders [0] " + (NOW - 30_000) + " " + (NOW - 90_000) + ".." + (NOW + 5_000) + " /tmp/u.zip",
                "episode orders [0] " + (NOW - 30_000) + " " + (NOW - 90_000) + ".." + (NOW + 5_000) + " /tmp/u.zip");
    }

    @Test
    void anEpisodesBundleIsNotOfferedWhileAnotherBundleIsBeingWrittenAndSaysWhyWhenAsked() {
        List<Runnable> pending = new ArrayList<>();
        BackgroundExecutor later = new BackgroundExecutor() {
            @Override
            public <T> void run(java.util.concurrent.Callable<T> work, java.util.function.Consumer<T> onSuccess,
                                java.util.function.Consumer<Throwable> onFailure) {
                pending.add(() -> {
                    try {
                        onSuccess.accept(work.call());
                    } catch (Exception e) {
                        onFailure.accept(e);
                    }
                });
            }
        };
        IncidentBundleViewModel slow = new IncidentBundleViewModel(writer, later, dialogs, notices, new I18n(Locale.ENGLISH), () -> now);
        slow.selectedEpisodeProperty().set(new InstanceEpisode("orders", 1, ThrottleEpisode.opening(NOW - 1_000, Set.of(Cause.MEMORY))));
        dialogs.episodeBundle = Optional.of(Path.of("/tmp/s.zip"));

        slow.saveEpisodeCommand().execute();
        assertThat(slow.saveEpisodeCommand().isExecutable()).isFalse();
        slow.saveEpisodeCommand().execute();
        assertThat(notices.latestProperty().get().text()).contains("being saved");

        pending.forEach(Runnable::run);
        assertThat(slow.saveEpisodeCommand().isExecutable()).isTrue();
        assertThat(written).hasSize(1);
    }
}
