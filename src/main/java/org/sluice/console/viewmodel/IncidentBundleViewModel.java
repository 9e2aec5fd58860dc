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

/**
 * "Save incident bundle…": for the selected service (all its instances) or for one tile's
 * instance, asks the span and the file, takes the tiles' charts from the view, writes the bundle
 * off the FX thread and says how it went in the notices, where an error stays until closed.
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

    /** Writes a bundle; {@link IncidentBundle#write} in the console, a stand-in in tests. Runs off the FX thread. */
    @FunctionalInterface
    public interface Writer {
        Path write(String service, List<Integer> instances, long fromMs, long toMs, List<IncidentBundle.Extra> extras, Path file);
    }

    /** The charts of the chosen instances as the view draws them; called on the FX thread. */
    @FunctionalInterface
    public interface Charts {
        List<IncidentBundle.Extra> of(String service, List<Integer> instances);
    }

    private final Writer writer;
    private final BackgroundExecutor executor;
    private final DialogService dialogs;
    private final NoticesViewModel notices;
    private final I18n i18n;
    private final LongSupplier clock;
    private final ObjectProperty<String> selectedService = new SimpleObjectProperty<>(this, "selectedService");
    private final ActionCommand saveService;
    private Charts charts = (service, instances) -> List.of();

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
                () -> notices.post(Notice.Kind.INFO, null, i18n.get("bundle.select")));
    }

    /** The service the Service menu and the details pane save a bundle of; null when none is selected. */
    public ObjectProperty<String> selectedServiceProperty() {
        return selectedService;
    }

    /** Saves the selected service's bundle, all its instances; executable while a service is selected and no bundle is being written. */
    public Command saveServiceCommand() {
        return saveService;
    }

    /** The view that draws the charts. */
    public void charts(Charts source) {
        this.charts = Objects.requireNonNull(source, "source");
    }

    /** Saves the bundle of one instance, as a tile's context menu asks; told, not done, while another is being written. */
    public void saveInstance(String service, int index) {
        if (saveService.runningProperty().get()) {
            notices.post(Notice.Kind.INFO, service, i18n.get("bundle.busy"));
            return;
        }
        save(service, List.of(index));
    }

    private void save(String service, List<Integer> instances) {
        DialogService.BundleChoice choice = dialogs.askBundle(service, instances).orElse(null);
        if (choice == null) {
            return;
        }
        List<IncidentBundle.Extra> extras = charts.of(service, instances);
        long to = clock.getAsLong();
        long from = to - choice.span().length().toMillis();
        saveService.setBusy(true);
        notices.post(Notice.Kind.INFO, service, i18n.get("bundle.saving", service, choice.file()));
        executor.run(() -> writer.write(service, instances, from, to, extras, choice.file()), written -> {
            saveService.setBusy(false);
            notices.post(Notice.Kind.SUCCESS, service, i18n.get("bundle.saved", service, written));
        }, failure -> {
            saveService.setBusy(false);
            notices.post(Notice.Kind.ERROR, service, failure instanceof BundleWriteException e
                    ? i18n.get("bundle.error.folder", e.folder(), e.reason())
                    : i18n.get("bundle.error.other", service, Objects.requireNonNullElse(failure.getMessage(), failure.toString())));
        });
    }

    /** The host named in a bundle's README: the one the service runs on. */
    public static String hostOf(String service, String own) {
        String host = FleetGroup.hostOf(service);
        return host.isEmpty() ? own : host;
    }
}
