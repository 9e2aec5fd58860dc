package org.sluice.console.viewmodel;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.sluice.lifecycle.BackupInfo;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.ServiceDefinition;

/** Dialog answers a test sets in advance; it records what was asked. */
final class ScriptedDialogs implements DialogService {
    boolean confirmDelete;
    Optional<Integer> units = Optional.empty();
    Optional<ServiceDefinition> definition = Optional.empty();
    Optional<RestoreChoice> restore = Optional.empty();
    boolean confirmBulk = true;
    final List<String> asked = new ArrayList<>();
    BulkPlan lastPlan;

    /** What the bundle dialog answers; empty: cancelled. */
    Optional<BundleChoice> bundle = Optional.empty();

    @Override
    public Optional<BundleChoice> askBundle(String service, List<Integer> instances) {
        asked.add("bundle " + service + " " + instances);
        return bundle;
    }

    /** The file the episode bundle dialog answers; empty: cancelled. */
    Optional<java.nio.file.Path> episodeBundle = Optional.empty();

    @Override
    public Optional<java.nio.file.Path> askEpisodeBundle(String service, int instance, long startMs) {
        asked.add("episode bundle " + service + " " + instance + " " + startMs);
        return episodeBundle;
    }

    @Override
    public boolean confirmDelete(String service) {
        asked.add("delete " + service);
        return confirmDelete;
    }

    @Override
    public Optional<Integer> askUnits(String service, int current) {
        asked.add("units " + service + " " + current);
        return units;
    }

    @Override
    public Optional<ServiceDefinition> editDefinition(ServiceDefinition current, boolean isNew) {
        asked.add((isNew ? "new" : "edit ") + current.name());
        return definition;
    }

    /** The host the next new service goes to; the console's own when empty. */
    String newServiceHost = "";
    List<HostChoice> hostsOffered = List.of();

    /** What the user does in the new-service form; by default, fills it in from {@link #definition} and presses Create. */
    java.util.function.Consumer<DefinitionFormViewModel> newServiceAnswer;
    DefinitionFormViewModel lastForm;

    @Override
    public void newService(DefinitionFormViewModel form, List<HostChoice> hosts) {
        asked.add("new on " + hosts.stream().map(HostChoice::label).toList());
        hostsOffered = hosts;
        lastForm = form;
        if (newServiceAnswer != null) {
            newServiceAnswer.accept(form);
            return;
        }
        definition.ifPresent(d -> {
            form.hostProperty().set(newServiceHost);
            form.fill(d);
            form.submit();
        });
    }

    /** Each answer to Connect to host…, in turn: it fills in the form and says whether to connect. None left: cancel. */
    final Deque<Predicate<ConnectionFormViewModel>> connections = new ArrayDeque<>();
    /** The errors the connect dialog showed, one per time it was asked. */
    final List<String> connectErrors = new ArrayList<>();
    boolean acceptFingerprint = true;
    String fingerprintShown;
    /** Each answer to a key question, in turn; none left: cancel. */
    final Deque<KeyEntry> keys = new ArrayDeque<>();
    final List<String> keyErrors = new ArrayList<>();
    /** Where each key question said a remembered key would go. */
    final List<KeyPlace> keyPlaces = new ArrayList<>();
    /** The "remember" box's text of each connect dialog, as it read when the dialog opened. */
    final List<String> rememberTexts = new ArrayList<>();
    boolean confirmRemoveHost = true;

    @Override
    public boolean askConnection(ConnectionFormViewModel form) {
        asked.add("connect");
        connectErrors.add(form.errorProperty().get());
        rememberTexts.add(form.rememberTextProperty().get() + " | " + form.rememberHelpProperty().get());
        Predicate<ConnectionFormViewModel> answer = connections.poll();
        return answer != null && answer.test(form) && form.validProperty().get();
    }

    @Override
    public boolean acceptFingerprint(String host, URI address, String fingerprint) {
        asked.add("fingerprint " + host);
        fingerprintShown = fingerprint;
        return acceptFingerprint;
    }

    @Override
    public Optional<KeyEntry> askKey(String host, URI address, String issuer, String error, KeyPlace keyPlace) {
        asked.add("key " + host);
        keyPlaces.add(keyPlace);
        keyErrors.add(error);
        return Optional.ofNullable(keys.poll());
    }

    @Override
    public boolean confirmRemoveHost(String host) {
        asked.add("remove " + host);
        return confirmRemoveHost;
    }

    @Override
    public Optional<RestoreChoice> chooseBackup(List<BackupInfo> backups) {
        asked.add("backup of " + backups.size());
        return restore;
    }

    Optional<Operation> drill = Optional.empty();
    List<Operation> drillsOffered = List.of();

    @Override
    public Optional<Operation> chooseDrill(String service, List<Operation> operations) {
        asked.add("drill " + service);
        drillsOffered = operations;
        return drill;
    }

    boolean confirmServiceUpdate;
    boolean confirmAccount;

    @Override
    public boolean confirmServiceUpdate(String service) {
        asked.add("service update " + service);
        return confirmServiceUpdate;
    }

    @Override
    public boolean confirmAccount(Operation operation, List<String> services) {
        asked.add(operation.chartName() + " " + services);
        return confirmAccount;
    }

    @Override
    public boolean confirmBulk(BulkPlan plan) {
        lastPlan = plan;
        return confirmBulk;
    }
}
