package org.sluice.console.viewmodel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

import org.sluice.fleet.bundle.BundleWriteException;
import org.sluice.fleet.bundle.IncidentBundle;
import org.sluice.fleet.group.FleetGroup;
import org.sluice.throttle.InstanceEpisode;

/**
 * "Save incident bundle…": for the selected service (all its instances) or for one tile's
 * instance, asks the span and the file; for the selected throttle episode, asks the file and takes
 * the episode's instance over the episode with a margin either side
 * ({@link IncidentBundle#episodeRange}). It writes the bundle off the FX thread, charts and all,
 * and says how it went in the notices, where an error stays until closed.
 */
public final class IncidentBundleViewModel {

    /** The spans offered, each up to now. */
    public enum Span {
        LAST_5_MINUTES(Duration.ofMinutes(5)),
        LAST_15_MINUTES(Duration.ofMinutes(15)),
        LAST_60_MINUTES(Duration.ofMinutes(60));

        private final Duration length;

        Span(Duration length) {
            this.length = length;
        }

        public Duration length() {
            return length;
        }
    }

    /** Writes a bundle, charts included; {@link IncidentBundle} in the console, a stand-in in tests. Runs off the FX thread. */
    public interface Writer {
        /** {@link IncidentBundle#write}. */
        Path write(String service, List<Integer> instances, long fromMs, long toMs, Path file);

        /** {@link IncidentBundle#writeEpisode}. */
        Path writeEpisode(InstanceEpisode episode, IncidentBundle.Range range, Path file);
    }

    private final Writer writer;
    private final BackgroundExecutor executor;
    private final DialogService dialogs;
    private final NoticesViewModel notices;
    private final I18n i18n;
    private final LongSupplier clock;
    private final ObjectProperty<String> selectedService = new SimpleObjectProperty<>(this, "selectedService");
    private final ActionCommand saveService;
    private final ObjectProperty<InstanceEpisode> selectedEpisode = new SimpleObjectProperty<>(this, "selectedEpisode");
    private final ActionCommand saveEpisode;

    /**
     * @param clock epoch milliseconds: the end of the span
     */
    public IncidentBundleViewModel(Writer writer, BackgroundExecutor executor, DialogService dialogs, NoticesViewModel notices,
                                   I18n i18n, LongSupplier clock) {
        this.writer = writer;
        this.executor = executor;
        this.dialogs = dialogs;
        this.notices = notices;
        this.i18n = i18n;
        this.clock = clock;
        this.saveService = new ActionCommand(selectedService.isNotNull(), () -> save(selectedService.get(), List.of()),
                () -> notices.post(Notice.Kind.INFO, null, i18n.phrase("bundle.select")));
        // One bundle at a time: the service's command runs for every bundle being written.
        this.saveEpisode = new ActionCommand(selectedEpisode.isNotNull().and(saveService.runningProperty().not()),
                () -> saveEpisode(selectedEpisode.get()),
                () -> notices.post(Notice.Kind.INFO, null, i18n.phrase(selectedEpisode.get() == null ? "bundle.selectEpisode" : "bundle.busy")));
    }

    /** The service the Service menu and the details pane save a bundle of; null when none is selected. */
    public ObjectProperty<String> selectedServiceProperty() {
        return selectedService;
    }

    /** Saves the selected service's bundle, all its instances; executable while a service is selected and no bundle is being written. */
    public Command saveServiceCommand() {
        return saveService;
    }

    /** The throttle episode the details' episodes table has selected; null when none is. */
    public ObjectProperty<InstanceEpisode> selectedEpisodeProperty() {
        return selectedEpisode;
    }

    /**
     * Saves the bundle of the selected episode: its instance, from {@link IncidentBundle#EPISODE_MARGIN}
     * before it to as much after it, or to now for an episode under way; executable while an episode
     * is selected and no bundle is being written.
     */
    public Command saveEpisodeCommand() {
        return saveEpisode;
    }

    /** Saves the bundle of one instance, as a tile's context menu asks; told, not done, while another is being written. */
    public void saveInstance(String service, int index) {
        if (saveService.runningProperty().get()) {
            notices.post(Notice.Kind.INFO, service, i18n.phrase("bundle.busy"));
            return;
        }
        save(service, List.of(index));
    }

    private void save(String service, List<Integer> instances) {
        DialogService.BundleChoice choice = dialogs.askBundle(service, instances).orElse(null);
        if (choice == null) {
            return;
        }
        long to = clock.getAsLong();
        long from = to - choice.span().length().toMillis();
        run(service, choice.file(), () -> writer.write(service, instances, from, to, choice.file()));
    }

    private void saveEpisode(InstanceEpisode episode) {
        Path file = dialogs.askEpisodeBundle(episode.service(), episode.instance(), episode.episode().startMs()).orElse(null);
        if (file == null) {
            return;
        }
        IncidentBundle.Range range = IncidentBundle.episodeRange(episode.episode(), clock.getAsLong());
        run(episode.service(), file, () -> writer.writeEpisode(episode, range, file));
    }

    private void run(String service, Path file, java.util.concurrent.Callable<Path> write) {
        saveService.setBusy(true);
        notices.post(Notice.Kind.INFO, service, i18n.phrase("bundle.saving", service, file));
        executor.run(write, written -> {
            saveService.setBusy(false);
            notices.post(Notice.Kind.SUCCESS, service, i18n.phrase("bundle.saved", service, written));
        }, failure -> {
            saveService.setBusy(false);
            notices.post(Notice.Kind.ERROR, service, failure instanceof BundleWriteException e
                    ? i18n.phrase("bundle.error.folder", e.folder(), e.reason())
                    : i18n.phrase("bundle.error.other", service, Objects.requireNonNullElse(failure.getMessage(), failure.toString())));
        });
    }

    /** The host named in a bundle's README: the one the service runs on. */
    public static String hostOf(String service, String own) {
        String host = FleetGroup.hostOf(service);
        return host.isEmpty() ? own : host;
    }
}
