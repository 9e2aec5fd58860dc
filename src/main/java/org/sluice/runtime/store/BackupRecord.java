package org.sluice.runtime.store;

import java.util.Objects;
import java.util.Optional;

import org.sluice.lifecycle.ServiceDefinition;

/**
 * A backup of a service: its definition and settings at the time, or the record of a backup that
 * failed.
 *
 * @param id           the backup's id
 * @param service      the service backed up
 * @param createdMs    when the backup was taken, epoch milliseconds
 * @param definition   the service's definition
 * @param settingsJson the service's other settings (edition, version, endpoints, credentials
 *                     reference) as a JSON text
 * @param status       whether the backup succeeded
 * @param error        why it failed, or {@code null}
 */
public record BackupRecord(String id, String service, long createdMs, ServiceDefinition definition,
                           String settingsJson, Status status, String error) {

    /** Whether a backup succeeded. */
    public enum Status {
        SUCCEEDED,
        FAILED
    }

    public BackupRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(settingsJson, "settingsJson");
        Objects.requireNonNull(status, "status");
    }

    /** Why the backup failed, if it did and the reason is known. */
    public Optional<String> failure() {
        return Optional.ofNullable(error);
    }
}
