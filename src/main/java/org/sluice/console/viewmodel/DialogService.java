package org.sluice.console.viewmodel;

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

    /** Lets the user pick a backup and the name of the restored service. */
    Optional<RestoreChoice> chooseBackup(List<BackupInfo> backups);

    /** Asks which of {@code operations} should fail next on {@code service}, for a drill; empty when cancelled. */
    Optional<Operation> chooseDrill(String service, List<Operation> operations);

    /** Shows a bulk action's preview; true to go ahead. */
    boolean confirmBulk(BulkPlan plan);

    /** A backup to restore and the name to restore it under. */
    record RestoreChoice(String backupId, String newName) {
    }
}
