package org.sluice.console.viewmodel;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

    @Override
    public Optional<RestoreChoice> chooseBackup(List<BackupInfo> backups) {
        asked.add("backup of " + backups.size());
        return restore;
    }

    Optional<Operation> drill = Optional.empty();

    @Override
    public Optional<Operation> chooseDrill(String service, List<Operation> operations) {
        asked.add("drill " + service);
        return drill;
    }

    @Override
    public boolean confirmBulk(BulkPlan plan) {
        lastPlan = plan;
        return confirmBulk;
    }
}
