package org.sluice.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.sluice.fleet.bundle.BundleWriteException;
import org.sluice.fleet.bundle.IncidentBundle;

class IncidentBundleViewModelTest {
    private static final long NOW = 10_000_000;
    private final ScriptedDialogs dialogs = new ScriptedDialogs();
    private final NoticesViewModel notices = new NoticesViewModel(new I18n(Locale.ENGLISH));
    private final List<String> written = new ArrayList<>();
    private RuntimeException failure;
    private final IncidentBundleViewModel.Writer writer = (service, instances, fromMs, toMs, extras, file) -> {
        if (failure != null) {
            throw failure;
        }
        written.add(service + " " + instances + " " + fromMs + ".." + toMs + " " + extras.stream().map(IncidentBundle.Extra::name).toList()
                + " " + file);
        return file;
    };
    private final IncidentBundleViewModel model = new IncidentBundleViewModel(writer, BackgroundExecutor.sameThread(), dialogs, notices,
            new I18n(Locale.ENGLISH), () -> NOW);

    @Test
    void savingAServicesBundleIsExecutableOnlyWhileAServiceIsSelected() {
        assertThat(model.saveServiceCommand().isExecutable()).isFalse();

        model.selectedServiceProperty().set("orders");
        assertThat(model.saveServiceCommand().isExecutable()).isTrue();

        model.selectedServiceProperty().set(null);
        assertThat(model.saveServiceCommand().isExecutable()).isFalse();
    }

    @Test
    void aServicesBundleCoversAllItsInstancesForTheChosenSpanWithTheChartsTheViewDrew() {
        model.charts((service, instances) -> List.of(new IncidentBundle.Extra("charts/instance-0.png", "tile", new byte[] {1})));
        model.selectedServiceProperty().set("orders");
        dialogs.bundle = Optional.of(new DialogService.BundleChoice(IncidentBundleViewModel.Span.LAST_15_MINUTES, Path.of("/tmp/o.zip")));

        model.saveServiceCommand().execute();

        assertThat(dialogs.asked).containsExactly("bundle orders []");
        assertThat(written).containsExactly("orders [] " + (NOW - 900_000) + ".." + NOW + " [charts/instance-0.png] /tmp/o.zip");
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
        assertThat(written).containsExactly("orders [2] " + (NOW - 300_000) + ".." + NOW + " [] /tmp/t.zip");
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
}
