package org.sluice.fleet;

/** A restore named a backup the fleet does not have. */
public final class UnknownBackupException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String backupId;

    public UnknownBackupException(String backupId) {
        super("No backup with id '" + backupId + "'");
        this.backupId = backupId;
    }

    public String backupId() {
        return backupId;
    }
}
