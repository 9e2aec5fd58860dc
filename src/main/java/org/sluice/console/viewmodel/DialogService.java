package org.sluice.console.viewmodel;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import org.sluice.lifecycle.BackupInfo;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.ServiceDefinition;

/** Everything a view model needs to ask the user. The view implements it with dialogs; tests answer directly. */
public interface DialogService {

    /** Asks the user to type {@code service}'s name to confirm its deletion. */
    boolean confirmDelete(String service);

    /** Asks how many units, 1 to 8, starting from {@code current}. */
    Optional<Integer> askUnits(String service, int current);

    /** Lets the user edit a definition; empty when cancelled. */
    Optional<ServiceDefinition> editDefinition(ServiceDefinition current, boolean isNew);

    /**
     * Shows the new-service form, with the host to create it on when there is more than one, until
     * the form is {@linkplain DefinitionFormViewModel#doneProperty() done} or the user cancels. Its
     * Create button {@linkplain DefinitionFormViewModel#submit() submits} the form; a refusal is
     * shown in the form, which stays open with what was typed.
     *
     * @param hosts the hosts a service can be created on now, the console's own first
     */
    void newService(DefinitionFormViewModel form, List<HostChoice> hosts);

    /** Lets the user pick a backup and the name of the restored service. */
    Optional<RestoreChoice> chooseBackup(List<BackupInfo> backups);

    /** Asks which of {@code operations} should fail next on {@code service}, for a drill; empty when cancelled. */
    Optional<Operation> chooseDrill(String service, List<Operation> operations);

    /**
     * Says what a service update does to {@code service} (its role instances are stopped and
     * started again on the platform's current version) and asks whether to go ahead.
     */
    boolean confirmServiceUpdate(String service);

    /**
     * Says what Disable or Enable account does and to which services, and asks whether to go ahead.
     *
     * @param services the services it acts on, as the grid names them
     */
    boolean confirmAccount(Operation operation, List<String> services);

    /** Shows a bulk action's preview; true to go ahead. */
    boolean confirmBulk(BulkPlan plan);

    /** Lets the user fill in File › Connect to host…; true when they chose to connect with what the form holds. */
    boolean askConnection(ConnectionFormViewModel form);

    /**
     * Shows the fingerprint of the certificate the host presents and asks the user to compare it
     * with the one the host printed as it started; true when they accept it.
     */
    boolean acceptFingerprint(String host, URI address, String fingerprint);

    /**
     * Asks for the key of {@code issuer} on {@code host}; empty when cancelled.
     *
     * @param error    why the last key did not do, or empty
     * @param keyPlace where the key goes if the user asks for it to be remembered
     */
    Optional<KeyEntry> askKey(String host, URI address, String issuer, String error, KeyPlace keyPlace);

    /** Asks whether to close the connection to {@code host} and forget it. */
    boolean confirmRemoveHost(String host);

    /**
     * Asks for the time span and the file of an incident bundle of {@code service}'s
     * {@code instances} (all of them when empty); empty when cancelled.
     */
    Optional<BundleChoice> askBundle(String service, List<Integer> instances);

    /**
     * Asks for the file of the incident bundle of the throttle episode instance {@code instance} of
     * {@code service} started at {@code startMs}; empty when cancelled.
     */
    Optional<java.nio.file.Path> askEpisodeBundle(String service, int instance, long startMs);

    /** The span of an incident bundle, up to now, and the zip file to write. */
    record BundleChoice(IncidentBundleViewModel.Span span, java.nio.file.Path file) {
    }

    /** A backup to restore and the name to restore it under. */
    record RestoreChoice(String backupId, String newName) {
    }

    /** A key typed in, and whether to remember it. */
    record KeyEntry(String key, boolean remember) {
    }

    /**
     * A host a service can be created on.
     *
     * @param host  its name, empty for the console's own
     * @param label what the user reads
     */
    record HostChoice(String host, String label) {
    }

    /** A service to create, and where. */
    record NewService(String host, ServiceDefinition definition) {
    }
}
